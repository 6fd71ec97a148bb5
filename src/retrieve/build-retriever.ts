import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { Bm25Index } from '../index/bm25-index.ts';
import { DenseIndex } from '../index/dense-index.ts';
import { tokenize } from '../index/tokenize.ts';
import type { Chunk } from '../ingest/types.ts';
import {
  DEFAULT_FUSION,
  HybridRetriever,
  lexicalText,
  type FusionWeights,
} from './hybrid-search.ts';
import type { SynonymEntry } from './query-expansion.ts';

export interface RetrieverInputs {
  chunks: Chunk[];
  /** Omit for a lexical-only retriever. */
  embeddings?: EmbeddingsInterface;
  /** Vectors already computed for `chunks` (from a saved index); embedded here when absent. */
  vectors?: number[][];
  dense?: DenseIndex;
  synonyms?: SynonymEntry[];
  fusion?: FusionWeights;
}

/** Assembles the retriever: the lexical index is always rebuilt from the chunk texts (fast). */
export async function buildRetriever(inputs: RetrieverInputs): Promise<HybridRetriever> {
  const { chunks, embeddings } = inputs;
  const lexical = new Bm25Index(chunks.map((c) => tokenize(lexicalText(c))));
  let dense = inputs.dense;
  if (!dense && embeddings) {
    const vectors = inputs.vectors ?? (await embeddings.embedDocuments(chunks.map(lexicalText)));
    dense = await DenseIndex.build(
      embeddings,
      vectors,
      chunks.map((c) => c.text),
    );
  }
  return new HybridRetriever(
    {
      chunks,
      lexical,
      ...(dense && embeddings && { dense, embeddings }),
      ...(inputs.synonyms && { synonyms: inputs.synonyms }),
    },
    inputs.fusion ?? DEFAULT_FUSION,
  );
}
