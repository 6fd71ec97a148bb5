import { splitLongPassage } from './split-passage.ts';
import type { Chunk, SourceDocument } from './types.ts';

const HEADING = /^(#{1,6})\s+(.+?)\s*#*$/u;
const MAX_CHUNK_CHARS = 500;

/**
 * Guides and other prose: sections by markdown heading, paragraphs grouped up to a size, long
 * paragraphs cut at sentence ends. Each chunk keeps its heading path.
 */
export function splitMarkdown(doc: SourceDocument, firstLine = 1): Chunk[] {
  const lines = doc.text.split('\n');
  const path: { depth: number; text: string }[] = [];
  const chunks: Chunk[] = [];
  let buffer: string[] = [];
  let start = 0;
  let end = 0;

  const flush = () => {
    const body = buffer.join('\n').trim();
    buffer = [];
    if (!body) return;
    const section = path.map((p) => p.text).join(' > ');
    for (const piece of splitLongPassage(body, MAX_CHUNK_CHARS)) {
      chunks.push({
        id: `${doc.source}#${chunks.length}`,
        text: piece,
        meta: {
          source: doc.source,
          kind: doc.kind,
          title: doc.title,
          ...(doc.year !== undefined && { year: doc.year }),
          audience: doc.audience,
          ...(section && { section }),
          lines: [start, end],
        },
      });
    }
  };

  lines.forEach((raw, index) => {
    const lineNo = firstLine + index;
    const line = raw.trimEnd();
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const depth = heading[1]!.length;
      while (path.length && path[path.length - 1]!.depth >= depth) path.pop();
      // The document title is already in meta.title; keep only the headings below it.
      if (!(depth === 1 && heading[2] === doc.title)) path.push({ depth, text: heading[2]! });
      return;
    }
    if (!line.trim()) {
      if (buffer.join('').length >= MAX_CHUNK_CHARS / 2) flush();
      else if (buffer.length) buffer.push('');
      return;
    }
    if (!buffer.length) start = lineNo;
    buffer.push(line.trim());
    end = lineNo;
  });
  flush();
  return chunks;
}
