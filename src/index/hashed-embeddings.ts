import { Embeddings } from '@langchain/core/embeddings';
import { normalizeText } from './tokenize.ts';

/** What is saved with the index so queries are embedded exactly as the documents were. */
export interface HashedEmbeddingsState {
  dimensions: number;
  documents: number;
  /** n-gram -> document frequency, for the n-grams seen at least twice when fitted. */
  df: Record<string, number>;
}

const HAN_RUN = /[\p{Script=Han}]+|[a-z0-9]+/gu;

function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (f: string) => counts.set(f, (counts.get(f) ?? 0) + 1);
  for (const match of normalizeText(text).matchAll(HAN_RUN)) {
    const chars = Array.from(match[0]);
    if (chars.length > 1 && !/\p{Script=Han}/u.test(chars[0]!)) {
      add(match[0]);
      continue;
    }
    for (let i = 0; i < chars.length; i++) {
      add(chars[i]!);
      if (i + 1 < chars.length) add(chars[i]! + chars[i + 1]!);
    }
  }
  return counts;
}

/** FNV-1a, 32 bit: fast, stable across runs and platforms. */
function hash(feature: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    h ^= feature.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The offline default embedder: character unigram + bigram TF-IDF hashed into a fixed number of signed
 * buckets, L2-normalised. No weights to download; the IDF is fitted on the indexed documents and
 * saved with the index. n-grams unseen when fitting get the highest IDF.
 */
export class HashedNgramEmbeddings extends Embeddings {
  readonly dimensions: number;
  private documents = 0;
  private df = new Map<string, number>();

  constructor(dimensions = 1024) {
    super({});
    if (!Number.isInteger(dimensions) || dimensions < 64) {
      throw new RangeError(`dimensions must be an integer >= 64, got ${dimensions}`);
    }
    this.dimensions = dimensions;
  }

  /** Identifies vectors this embedder makes; a change forces a rebuild. */
  get id(): string {
    return `hashed-ngram-tfidf-v2:${this.dimensions}`;
  }

  /** Learns document frequencies; n-grams seen once are dropped to keep the saved state small. */
  fit(texts: string[]): void {
    const df = new Map<string, number>();
    for (const text of texts) {
      for (const feature of features(text).keys()) df.set(feature, (df.get(feature) ?? 0) + 1);
    }
    for (const [feature, count] of df) if (count < 2) df.delete(feature);
    this.df = df;
    this.documents = texts.length;
  }

  get fitted(): boolean {
    return this.documents > 0;
  }

  toJSON(): HashedEmbeddingsState {
    return {
      dimensions: this.dimensions,
      documents: this.documents,
      df: Object.fromEntries(this.df),
    };
  }

  /** Takes back the IDF saved with an index; the dimensions must match. */
  restore(state: HashedEmbeddingsState): void {
    if (state.dimensions !== this.dimensions) {
      throw new RangeError(
        `saved state has ${state.dimensions} dimensions, expected ${this.dimensions}`,
      );
    }
    this.documents = state.documents;
    this.df = new Map(Object.entries(state.df));
  }

  embedText(text: string): number[] {
    const vector = new Float64Array(this.dimensions);
    const n = Math.max(this.documents, 1);
    for (const [feature, tf] of features(text)) {
      const df = this.df.get(feature) ?? 1;
      const idf = Math.log((n + 1) / (df + 0.5));
      if (idf <= 0) continue;
      const h = hash(feature);
      // The top bit picks the sign so colliding features cancel on average instead of piling up.
      vector[h % this.dimensions]! += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(tf)) * idf;
    }
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    return Array.from(vector, (v) => v / norm);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedText(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }
}
