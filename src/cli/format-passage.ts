import type { Passage } from '../retrieve/hybrid-search.ts';
import { formatCitation } from '../retrieve/format-citation.ts';

const MAX_SHOWN_CHARS = 160;

/** One passage as the search command and the console show it: citation, lines, text. */
export function formatPassage(p: Passage, rank: number): string {
  const { meta } = p.chunk;
  const text = p.chunk.text.replace(/\s+/gu, ' ');
  const shown = text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text;
  return `${rank}. ${formatCitation(meta)}  [${meta.source}:${meta.lines[0]}-${meta.lines[1]}]\n   ${shown}`;
}
