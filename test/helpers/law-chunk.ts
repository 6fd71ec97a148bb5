import type { Chunk } from '../../src/ingest/types.ts';

/** A statute article as the ingest makes it, for tests that need a few hand-written ones. */
export function lawChunk(
  title: string,
  article: string,
  text: string,
  line = 1,
  source = title,
): Chunk {
  return {
    id: `${source}#${line}`,
    text,
    meta: {
      source: `laws/${source}.md`,
      kind: 'law',
      title,
      article,
      audience: 'public',
      lines: [line, line],
    },
  };
}
