import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Bm25Index, ScoredDoc, WeightedTerm } from '../index/bm25-index.ts';
import type { DenseIndex } from '../index/dense-index.ts';
import { tokenize } from '../index/tokenize.ts';
import type { Audience, Chunk, DocumentKind } from '../ingest/types.ts';
import { expandQuery, type SynonymEntry } from './query-expansion.ts';

export interface SearchFilter {
  kinds?: DocumentKind[];
  years?: number[];
  audiences?: Audience[];
}

export type SearchMode = 'hybrid' | 'lexical' | 'dense';

export interface RetrieveOptions {
  k?: number;
  filter?: SearchFilter;
  mode?: SearchMode;
}

export interface Passage {
  chunk: Chunk;
  score: number;
  lexicalRank?: number;
  denseRank?: number;
}

export interface RetrieverParts {
  chunks: Chunk[];
  lexical: Bm25Index;
  dense?: DenseIndex;
  embeddings?: EmbeddingsInterface;
  synonyms?: SynonymEntry[];
}

export interface FusionWeights {
  lexical: number;
  dense: number;
  /** Weight of a term that came from the synonym table rather than the question. */
  expansion: number;
  /** How many candidates each side contributes before fusion. */
  depth: number;
  /** Reciprocal-rank constant. */
  rrfK: number;
}

export const DEFAULT_FUSION: FusionWeights = {
  lexical: 1,
  dense: 0.5,
  expansion: 0.5,
  depth: 100,
  rrfK: 60,
};

/** The text the lexical side indexes: the citation fields count as words of the passage. */
export function lexicalText(chunk: Chunk): string {
  const { title, section, article } = chunk.meta;
  return [title, section, article, chunk.text].filter(Boolean).join(' ');
}

function matchesFilter(chunk: Chunk, filter: SearchFilter | undefined): boolean {
  if (!filter) return true;
  const { kind, year, audience } = chunk.meta;
  if (filter.kinds && !filter.kinds.includes(kind)) return false;
  if (filter.audiences && !filter.audiences.includes(audience)) return false;
  if (filter.years && (year === undefined || !filter.years.includes(year))) return false;
  return true;
}

/**
 * Hybrid retrieval: BM25 and dense candidates fused by weighted reciprocal rank, after the
 * question is expanded with the legal terms of the colloquial words it contains.
 */
export class HybridRetriever {
  constructor(
    private readonly parts: RetrieverParts,
    private readonly fusion: FusionWeights = DEFAULT_FUSION,
  ) {}

  get chunks(): Chunk[] {
    return this.parts.chunks;
  }

  /** The question's own tokens plus the synonym table's legal terms, weighted lower. */
  queryTerms(question: string): { terms: WeightedTerm[]; expansion: string[] } {
    const expansion = expandQuery(question, this.parts.synonyms ?? []);
    const terms: WeightedTerm[] = tokenize(question).map((term) => ({ term, weight: 1 }));
    for (const phrase of expansion) {
      for (const term of tokenize(phrase)) terms.push({ term, weight: this.fusion.expansion });
    }
    return { terms, expansion };
  }

  async retrievePassages(question: string, options: RetrieveOptions = {}): Promise<Passage[]> {
    const k = options.k ?? 10;
    const mode = options.mode ?? (this.parts.dense ? 'hybrid' : 'lexical');
    const accept = options.filter
      ? (doc: number) => matchesFilter(this.parts.chunks[doc]!, options.filter)
      : undefined;
    const { terms, expansion } = this.queryTerms(question);
    const depth = Math.max(this.fusion.depth, k);

    const lexicalHits: ScoredDoc[] =
      mode === 'dense' ? [] : this.parts.lexical.search(terms, depth, accept);
    let denseHits: ScoredDoc[] = [];
    if (mode !== 'lexical' && this.parts.dense && this.parts.embeddings) {
      const vector = await this.parts.embeddings.embedQuery([question, ...expansion].join(' '));
      denseHits = this.parts.dense.search(vector, depth, accept);
    }
    return this.fuse(lexicalHits, denseHits, mode).slice(0, k);
  }

  private fuse(lexicalHits: ScoredDoc[], denseHits: ScoredDoc[], mode: SearchMode): Passage[] {
    const byDoc = new Map<number, Passage>();
    const { rrfK } = this.fusion;
    const add = (hits: ScoredDoc[], weight: number, rankKey: 'lexicalRank' | 'denseRank') => {
      hits.forEach((hit, rank) => {
        const passage = byDoc.get(hit.doc) ?? { chunk: this.parts.chunks[hit.doc]!, score: 0 };
        passage.score += mode === 'hybrid' ? weight / (rrfK + rank + 1) : hit.score;
        passage[rankKey] = rank + 1;
        byDoc.set(hit.doc, passage);
      });
    };
    add(lexicalHits, this.fusion.lexical, 'lexicalRank');
    add(denseHits, this.fusion.dense, 'denseRank');
    return [...byDoc.values()].sort((a, b) => b.score - a.score);
  }
}
