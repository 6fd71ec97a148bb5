import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { Bm25Index } from '../index/bm25-index.ts';
import { tokenizeBigrams } from '../index/tokenize.ts';
import type { Chunk } from '../ingest/types.ts';
import { buildOfflineRetriever, buildRetriever, mapLazily } from '../retrieve/build-retriever.ts';
import type { SearchMode } from '../retrieve/hybrid-search.ts';
import type { RetrievalVocabulary } from '../retrieve/vocabulary.ts';
import {
  dedupeKeys,
  keyOf,
  percentile,
  scoreQuery,
  summarize,
  type ArticleKey,
  type Summary,
} from './scoring.ts';

export interface BenchQuery {
  id: string;
  query: string;
  gold: (ArticleKey & { in_corpus?: boolean })[];
}

export interface RetrievalBenchResult extends Summary {
  p50_ms: number;
  p95_ms: number;
  build_s: number;
  rss_mb: number;
  baseline: Summary;
  ablations: Record<SearchMode, Summary>;
  skipped: number;
}

export interface RetrievalBenchOptions {
  chunks: Chunk[];
  queries: BenchQuery[];
  /** Own-corpus setting: skip queries with a gold label outside the corpus. */
  ownCorpus: boolean;
  vocabulary: RetrievalVocabulary;
  embeddings?: EmbeddingsInterface;
  dimensions?: number;
  onProgress?: (done: number, total: number) => void;
}

const CANDIDATES = 30; // chunks fetched per query before mapping to articles and cutting at 10

const chunkKey = (c: Chunk): ArticleKey => ({ law: c.meta.title, article: c.meta.article ?? '' });

/** Runs the project's retriever (three modes) and the plain bigram BM25 baseline on one set. */
export async function runRetrievalBench(
  options: RetrievalBenchOptions,
): Promise<RetrievalBenchResult> {
  const { chunks, vocabulary } = options;
  const queries = options.ownCorpus
    ? options.queries.filter((q) => q.gold.every((g) => g.in_corpus !== false))
    : options.queries;

  const started = performance.now();
  const retriever = options.embeddings
    ? await buildRetriever({ chunks, embeddings: options.embeddings, ...vocabulary })
    : await buildOfflineRetriever(chunks, vocabulary, options.dimensions);
  const buildSeconds = (performance.now() - started) / 1000;

  const baselineIndex = new Bm25Index(
    mapLazily(chunks, (c) => tokenizeBigrams(`${c.meta.title}${c.text}`)),
  );
  const modes: SearchMode[] = ['lexical', 'dense', 'hybrid'];
  const scores: Record<SearchMode | 'baseline', ReturnType<typeof scoreQuery>[]> = {
    lexical: [],
    dense: [],
    hybrid: [],
    baseline: [],
  };
  const latencies: number[] = [];
  for (const [i, q] of queries.entries()) {
    const gold = q.gold.map(keyOf);
    for (const mode of modes) {
      const t0 = performance.now();
      const passages = await retriever.retrievePassages(q.query, { k: CANDIDATES, mode });
      if (mode === 'hybrid') latencies.push(performance.now() - t0);
      scores[mode].push(scoreQuery(dedupeKeys(passages.map((p) => chunkKey(p.chunk))), gold));
    }
    const base = baselineIndex.search(
      tokenizeBigrams(q.query).map((term) => ({ term, weight: 1 })),
      CANDIDATES,
    );
    scores.baseline.push(scoreQuery(dedupeKeys(base.map((h) => chunkKey(chunks[h.doc]!))), gold));
    options.onProgress?.(i + 1, queries.length);
  }
  const hybrid = summarize(scores.hybrid);
  return {
    ...hybrid,
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
    build_s: buildSeconds,
    rss_mb: process.resourceUsage().maxRSS / 1024,
    baseline: summarize(scores.baseline),
    ablations: {
      lexical: summarize(scores.lexical),
      dense: summarize(scores.dense),
      hybrid,
    },
    skipped: options.queries.length - queries.length,
  };
}
