import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashBytes, type KnowledgeFile } from '../../src/ingest/knowledge-files.ts';
import { readKnowledgeDocument } from '../../src/ingest/split-document.ts';
import { parseReport, type ReportOutline } from '../../src/lookup/parse-report.ts';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const SONGCUN = join(ROOT, 'knowledge/reports/songcun-2023-fazhi-report.txt');
/** A fictional town's 2024 report, written for these tests. */
export const SHIFAN = join(ROOT, 'test/fixtures/reports/示范镇-2024.txt');

/** Reads one report through the same ingest path as knowledge/reports/. */
export async function readReport(path: string, source: string): Promise<ReportOutline> {
  const bytes = readFileSync(path);
  const file: KnowledgeFile = {
    source,
    absolutePath: path,
    kind: 'report',
    bytes,
    hash: hashBytes(bytes),
  };
  const { doc, firstLine } = await readKnowledgeDocument(file);
  return parseReport(doc, firstLine);
}

export const songcun = () => readReport(SONGCUN, 'reports/songcun-2023-fazhi-report.txt');
export const shifan = () => readReport(SHIFAN, 'reports/示范镇-2024.txt');
