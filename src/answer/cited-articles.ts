import type { ArticleKey } from '../bench/scoring.ts';
import { normalizeLawTitle } from '../ingest/split-statute.ts';

const CITATION =
  /《([^》]{2,40})》\s*(第[零〇一二三四五六七八九十百千两\d]+条(?:之[一二三四五六七八九十]+)?)/gu;

/** Every 《法》第X条 written in a text, in order, each once. */
export function findCitedArticles(text: string): ArticleKey[] {
  const seen = new Set<string>();
  const keys: ArticleKey[] = [];
  for (const match of text.matchAll(CITATION)) {
    const key = { law: normalizeLawTitle(match[1]!), article: match[2]! };
    const id = `${key.law}|${key.article}`;
    if (!seen.has(id)) {
      seen.add(id);
      keys.push(key);
    }
  }
  return keys;
}
