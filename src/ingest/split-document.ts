import { basename, extname } from 'node:path';
import { DocumentLoadError } from '../errors.ts';
import { parseFrontMatter } from './front-matter.ts';
import { loadDocumentText } from './load-document.ts';
import type { KnowledgeFile } from './knowledge-files.ts';
import { splitMarkdown } from './split-markdown.ts';
import { splitReport } from './split-report.ts';
import { normalizeLawTitle, splitStatute } from './split-statute.ts';
import type { Chunk, DocumentKind, SourceDocument } from './types.ts';

const LAW_TITLE = /^(中华人民共和国)?\S{2,40}(法|法典|条例|规定|办法|决定|解释)$/u;

function firstLines(text: string, count: number): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, count);
}

/** Title when the front matter gives none: the first # heading, a title-like line, or the file name. */
function guessTitle(kind: DocumentKind, text: string, fileStem: string): string {
  const heading = /^#\s+(.+?)\s*$/mu.exec(text)?.[1];
  if (heading) return kind === 'law' ? normalizeLawTitle(heading) : heading;
  const lines = firstLines(text, 6);
  if (kind === 'law') {
    const line = lines.find((l) => LAW_TITLE.test(l.replace(/\s/gu, '')));
    return normalizeLawTitle(line ?? fileStem);
  }
  if (kind === 'report') return lines.find((l) => /报告$/u.test(l)) ?? fileStem;
  return fileStem;
}

function guessYear(title: string, fileStem: string): number | undefined {
  const match = /(20\d\d)\s*年/u.exec(title) ?? /(20\d\d)/u.exec(fileStem);
  return match ? Number(match[1]) : undefined;
}

/** Reads one knowledge file into a document: text, then front matter, then guessed metadata. */
export async function readKnowledgeDocument(
  file: KnowledgeFile,
  maxBytes?: number,
): Promise<{ doc: SourceDocument; firstLine: number }> {
  const raw = await loadDocumentText(file.absolutePath, file.bytes, { maxBytes });
  let parsed;
  try {
    parsed = parseFrontMatter(raw);
  } catch (error) {
    throw new DocumentLoadError(file.source, `front matter: ${(error as Error).message}`);
  }
  const { fields, body, bodyStartLine } = parsed;
  const stem = basename(file.source, extname(file.source));
  const title = fields.title ?? guessTitle(file.kind, body, stem);
  const year = fields.year ?? (file.kind === 'law' ? undefined : guessYear(title, stem));
  const doc: SourceDocument = {
    source: file.source,
    kind: file.kind,
    title: file.kind === 'law' ? normalizeLawTitle(title) : title,
    text: body,
    audience: fields.audience ?? 'public',
    ...(year !== undefined && { year }),
    ...(fields.effectiveDate && { effectiveDate: fields.effectiveDate }),
  };
  return { doc, firstLine: bodyStartLine };
}

/** Picks the splitter for the kind; a "law" with no 第X条 at all is split as prose. */
export function splitDocument(doc: SourceDocument, firstLine = 1): Chunk[] {
  if (doc.kind === 'law') {
    const articles = splitStatute(doc, firstLine);
    if (articles.length) return articles;
  }
  if (doc.kind === 'report') return splitReport(doc, firstLine);
  return splitMarkdown(doc, firstLine);
}

/** Loads and splits one file; throws DocumentLoadError with the reason when it cannot. */
export async function ingestFile(file: KnowledgeFile, maxBytes?: number): Promise<Chunk[]> {
  const { doc, firstLine } = await readKnowledgeDocument(file, maxBytes);
  const chunks = splitDocument(doc, firstLine);
  if (!chunks.length) throw new DocumentLoadError(file.source, 'no text to index (empty file?)');
  return chunks;
}
