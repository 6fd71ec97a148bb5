import { normalizeLawTitle } from '../ingest/split-statute.ts';
import type { Chunk } from '../ingest/types.ts';

// "本法自2021年1月1日起施行。《中华人民共和国婚姻法》、…同时废止。"
const REPEAL =
  /本法自(\d{4})年(\d{1,2})月(\d{1,2})日起施行[，,。]\s*((?:《[^》]+》[、，,和及]?)+)(?:同时)?(?:予以)?废止/u;

/**
 * Laws that an indexed statute repeals as of `today`, read from its commencement article, so a
 * repealed code (合同法 after 民法典) is not offered ahead of the law that replaced it.
 */
export function findRepealedLaws(chunks: readonly Chunk[], today: Date): Set<string> {
  const repealed = new Set<string>();
  for (const chunk of chunks) {
    if (chunk.meta.kind !== 'law') continue;
    const match = REPEAL.exec(chunk.text);
    if (!match) continue;
    const [, year, month, day, list] = match;
    const effective = new Date(Number(year), Number(month) - 1, Number(day));
    if (effective > today) continue;
    for (const name of list!.matchAll(/《([^》]+)》/gu)) {
      const title = normalizeLawTitle(name[1]!);
      if (title !== chunk.meta.title) repealed.add(title);
    }
  }
  return repealed;
}
