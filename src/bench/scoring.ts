/** Retrieval scoring exactly as shared/bench/README.md describes it. */

export interface ArticleKey {
  law: string;
  article: string;
}

export interface QueryScore {
  recall: Record<number, number>;
  mrr10: number;
}

export const keyOf = (k: ArticleKey): string => `${k.law}|${k.article}`;

/** Ranked chunk keys -> ranked article keys, repeats dropped keeping the first. */
export function dedupeKeys(ranked: ArticleKey[]): string[] {
  return [...new Set(ranked.map(keyOf))];
}

/** Recall@k for each k and MRR@10 of one query; an empty list scores 0. */
export function scoreQuery(
  ranked: string[],
  gold: string[],
  ks: number[] = [1, 5, 10],
): QueryScore {
  const goldSet = new Set(gold);
  const recall: Record<number, number> = {};
  for (const k of ks) {
    const hits = ranked.slice(0, k).filter((key) => goldSet.has(key)).length;
    recall[k] = goldSet.size ? hits / goldSet.size : 0;
  }
  const first = ranked.slice(0, 10).findIndex((key) => goldSet.has(key));
  return { recall, mrr10: first === -1 ? 0 : 1 / (first + 1) };
}

export interface Summary {
  queries: number;
  r1: number;
  r5: number;
  r10: number;
  mrr10: number;
}

export function summarize(scores: QueryScore[]): Summary {
  const mean = (f: (s: QueryScore) => number) =>
    scores.length ? scores.reduce((sum, s) => sum + f(s), 0) / scores.length : 0;
  return {
    queries: scores.length,
    r1: mean((s) => s.recall[1] ?? 0),
    r5: mean((s) => s.recall[5] ?? 0),
    r10: mean((s) => s.recall[10] ?? 0),
    mrr10: mean((s) => s.mrr10),
  };
}

/** Nearest-rank percentile of a list of numbers (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
