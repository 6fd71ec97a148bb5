import { QuestionAnswerer } from '../answer/answer-question.ts';
import { findCitedArticles } from '../answer/cited-articles.ts';
import type { Service } from '../answer/services.ts';
import type { Chunk } from '../ingest/types.ts';
import { buildOfflineRetriever } from '../retrieve/build-retriever.ts';
import type { RetrievalVocabulary } from '../retrieve/vocabulary.ts';
import type { BenchQuery } from './retrieval-bench.ts';
import { keyOf, percentile } from './scoring.ts';

export interface AnswerBenchResult {
  queries: number;
  cites_gold: number;
  fabricated: number;
  p50_ms: number;
  p95_ms: number;
  /** Cited (law, article) pairs that the corpus does not have, for the report. */
  fabricatedKeys: string[];
}

/**
 * Answers every question on the offline path and checks the reply's citations: the share citing
 * at least one gold article, and every cited 《法》第X条 that does not exist in the corpus.
 */
export async function runAnswerBench(
  chunks: Chunk[],
  queries: BenchQuery[],
  vocabulary: RetrievalVocabulary,
  services: Service[],
): Promise<AnswerBenchResult> {
  const retriever = await buildOfflineRetriever(chunks, vocabulary);
  const answerer = new QuestionAnswerer(retriever, services);
  const existing = new Set(
    chunks
      .filter((c) => c.meta.kind === 'law')
      .map((c) => keyOf({ law: c.meta.title, article: c.meta.article ?? '' })),
  );
  let citesGold = 0;
  const fabricatedKeys: string[] = [];
  const latencies: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    const reply = await answerer.answerQuestion(q.query);
    latencies.push(performance.now() - started);
    const cited = findCitedArticles(reply.text).map(keyOf);
    const gold = new Set(q.gold.map(keyOf));
    if (cited.some((key) => gold.has(key))) citesGold++;
    fabricatedKeys.push(...cited.filter((key) => !existing.has(key)));
  }
  return {
    queries: queries.length,
    cites_gold: queries.length ? citesGold / queries.length : 0,
    fabricated: fabricatedKeys.length,
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
    fabricatedKeys,
  };
}
