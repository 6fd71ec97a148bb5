import { listKnowledgeFiles } from '../ingest/knowledge-files.ts';
import { readKnowledgeDocument } from '../ingest/split-document.ts';
import { recognizeSection, type ReportPart } from './report-parts.ts';

/** The paragraphs under each part (一、 … 七、) of a report, by part number. */
export function paragraphsByPart(text: string): Map<number, string[]> {
  const byPart = new Map<number, string[]>();
  let current: number | undefined;
  for (const raw of text.split(/\r?\n/u)) {
    const line = raw.replace(/\u3000/gu, ' ').trim();
    if (!line) continue;
    if (/^[一二三四五六七八九十]+、/u.test(line)) {
      try {
        const part = recognizeSection(line);
        current = part === 'all' ? undefined : part.number;
      } catch {
        current = undefined;
      }
      continue;
    }
    if (current !== undefined) byPart.set(current, [...(byPart.get(current) ?? []), line]);
  }
  return byPart;
}

/** Paragraphs of the town's past reports per part, newest report first (their headings win ties). */
export async function loadExamples(
  knowledgeDir: string,
  maxBytes: number,
  log: (line: string) => void,
): Promise<(part: ReportPart) => string[]> {
  const reports: { year: number; byPart: Map<number, string[]> }[] = [];
  for (const file of listKnowledgeFiles(knowledgeDir).filter((f) => f.kind === 'report')) {
    try {
      const { doc } = await readKnowledgeDocument(file, maxBytes);
      reports.push({ year: doc.year ?? 0, byPart: paragraphsByPart(doc.text) });
    } catch (error) {
      log(`skipped ${file.source} as an example: ${(error as Error).message}`);
    }
  }
  reports.sort((a, b) => b.year - a.year);
  return (part) => reports.flatMap((r) => r.byPart.get(part.number) ?? []);
}

/** Reports are written at the turn of the year: until June the year reported on is the last one. */
export function defaultReportYear(now: Date): number {
  return now.getMonth() < 6 ? now.getFullYear() - 1 : now.getFullYear();
}
