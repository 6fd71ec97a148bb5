import type { Chunk } from '../ingest/types.ts';
import { buildOfflineRetriever } from '../retrieve/build-retriever.ts';
import type { RetrievalVocabulary } from '../retrieve/vocabulary.ts';

export interface ReportQuery {
  id: string;
  query: string;
  expect: string[];
  section?: string;
  unanswerable?: boolean;
}

export interface ReportBenchResult {
  queries: number;
  hit5: number;
  misses: { id: string; missing: string[] }[];
}

/**
 * For each answerable question: do the top 5 report passages (text and section heading, as
 * they are shown) together contain every expected string?
 */
export async function runReportBench(
  chunks: Chunk[],
  queries: ReportQuery[],
  vocabulary: RetrievalVocabulary,
): Promise<ReportBenchResult> {
  const retriever = await buildOfflineRetriever(chunks, vocabulary);
  const answerable = queries.filter((q) => !q.unanswerable);
  const misses: ReportBenchResult['misses'] = [];
  for (const q of answerable) {
    const passages = await retriever.retrievePassages(q.query, {
      k: 5,
      filter: { kinds: ['report'] },
    });
    const shown = passages.map((p) => `${p.chunk.meta.section ?? ''}\n${p.chunk.text}`).join('\n');
    const missing = q.expect.filter((s) => !shown.includes(s));
    if (missing.length) misses.push({ id: q.id, missing });
  }
  return {
    queries: answerable.length,
    hit5: answerable.length ? (answerable.length - misses.length) / answerable.length : 0,
    misses,
  };
}
