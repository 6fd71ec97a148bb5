import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { SynchronousInMemoryDocstore } from '@langchain/community/stores/doc/in_memory';
import hnswlib from 'hnswlib-node';
import type { ScoredDoc } from './bm25-index.ts';

const GRAPH_M = 16;
const GRAPH_EF_CONSTRUCTION = 48;

/**
 * The dense side: LangChain's HNSWLib over precomputed vectors. Labels are chunk ordinals so
 * hits map straight back to the chunk list; scores are 1 - cosine distance (higher is better).
 */
export class DenseIndex {
  private constructor(private readonly store: HNSWLib) {}

  static async build(
    embeddings: EmbeddingsInterface,
    vectors: number[][],
    texts: string[],
  ): Promise<DenseIndex> {
    const numDimensions = vectors[0]?.length ?? 1;
    // Built here rather than through HNSWLib.addVectors, whose efConstruction of 200 made the
    // graph five times slower to build for no recall gain measured on the statutes.
    const index = new hnswlib.HierarchicalNSW('cosine', numDimensions);
    index.initIndex(Math.max(vectors.length, 1), GRAPH_M, GRAPH_EF_CONSTRUCTION, 100);
    const docs = new Map<string, Document>();
    vectors.forEach((vector, i) => {
      index.addPoint(vector, i);
      docs.set(String(i), new Document({ pageContent: texts[i] ?? '', metadata: { ordinal: i } }));
    });
    const docstore = new SynchronousInMemoryDocstore(docs);
    return new DenseIndex(
      new HNSWLib(embeddings, { space: 'cosine', numDimensions, index, docstore }),
    );
  }

  static async load(directory: string, embeddings: EmbeddingsInterface): Promise<DenseIndex> {
    return new DenseIndex(await HNSWLib.load(directory, embeddings));
  }

  async save(directory: string): Promise<void> {
    await this.store.save(directory);
  }

  get size(): number {
    try {
      return this.store.index.getCurrentCount();
    } catch {
      return 0; // never initialised: no vectors
    }
  }

  /** Nearest chunks to a query vector; `accept` filters by chunk ordinal inside the graph walk. */
  search(vector: number[], k: number, accept?: (doc: number) => boolean): ScoredDoc[] {
    const size = this.size;
    if (!size) return [];
    const index = this.store.index;
    const want = Math.min(k, size);
    index.setEf(Math.max(want, 64));
    const result = index.searchKnn(vector, want, accept);
    return result.neighbors.map((doc, i) => ({ doc, score: 1 - result.distances[i]! }));
  }
}
