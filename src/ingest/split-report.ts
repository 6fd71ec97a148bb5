import { splitLongPassage } from './split-passage.ts';
import type { Chunk, SourceDocument } from './types.ts';

// The numbering of a township report, outermost first: 一、 > （一） > （1）.
const HEADING_LEVELS: RegExp[] = [
  /^[一二三四五六七八九十]+、/u,
  /^[（(][一二三四五六七八九十]+[）)]/u,
  /^[（(]\d+[）)]/u,
];
// 一是…；二是…: each item becomes its own chunk. An item starts a paragraph or follows 。；;：
const ITEM_START = /(?:^|(?<=[。；;：:]))\s*(?=[一二三四五六七八九十]+是)/u;
const MAX_HEADING_CHARS = 40;
const MAX_CHUNK_CHARS = 400;

function headingLevel(line: string): number {
  return HEADING_LEVELS.findIndex((pattern) => pattern.test(line));
}

/** "（二）强化依法执政，提升法治意识。一是…" -> heading "（二）强化依法执政，提升法治意识", body "一是…". */
function splitHeadingLine(line: string): { heading: string; body: string } {
  const stop = line.search(/[。：:]/u);
  if (stop === -1) return { heading: line, body: '' };
  if (stop > MAX_HEADING_CHARS)
    return { heading: line.slice(0, line.search(/[，,]/u)), body: line };
  return { heading: line.slice(0, stop), body: line.slice(stop + 1).trim() };
}

/**
 * Splits a report by its heading hierarchy (一、 > （一） > （1）) and then by 一是/二是 items,
 * so each chunk is one measure with the section path it sits under.
 */
export function splitReport(doc: SourceDocument, firstLine = 1): Chunk[] {
  const lines = doc.text.split('\n');
  const path: { level: number; text: string }[] = [];
  const chunks: Chunk[] = [];

  const emit = (body: string, lineNo: number) => {
    const section = path.map((p) => p.text).join(' > ') || '（开头）';
    for (const item of body.split(ITEM_START)) {
      const trimmed = item.trim();
      if (!trimmed) continue;
      for (const piece of splitLongPassage(trimmed, MAX_CHUNK_CHARS)) {
        chunks.push({
          id: `${doc.source}#${chunks.length}`,
          text: piece,
          meta: {
            source: doc.source,
            kind: doc.kind,
            title: doc.title,
            ...(doc.year !== undefined && { year: doc.year }),
            audience: doc.audience,
            section,
            lines: [lineNo, lineNo],
          },
        });
      }
    }
  };

  lines.forEach((raw, index) => {
    const lineNo = firstLine + index;
    const line = raw.replace(/\u3000/gu, ' ').trim();
    if (!line) return;
    const level = headingLevel(line);
    if (level === -1) {
      emit(line, lineNo);
      return;
    }
    const { heading, body } = splitHeadingLine(line);
    while (path.length && path[path.length - 1]!.level >= level) path.pop();
    path.push({ level, text: heading.replace(/\s+/gu, ' ').trim() });
    // A heading with nothing under it (四、… then 无) still answers "what does part 四 say".
    if (body) emit(body, lineNo);
  });
  return chunks;
}
