/**
 * An in-memory BM25 index over flat typed-array postings. Built from the chunk texts at load
 * time (about a second for the statutes), so only the chunks need to be saved.
 */

export interface Bm25Options {
  k1?: number;
  b?: number;
}

export interface ScoredDoc {
  doc: number;
  score: number;
}

/** A query term and how much it counts (expansion terms count less than the user's words). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

export class Bm25Index {
  readonly size: number;
  private readonly termIds = new Map<string, number>();
  private readonly offsets: Uint32Array;
  private readonly postingDocs: Uint32Array;
  private readonly postingTfs: Float32Array;
  private readonly docNorms: Float32Array;
  private readonly k1: number;

  /**
   * `docs` yields each document's tokens once. Postings are counted per document into compact
   * typed arrays first, so a 60k-article pool never holds all its token strings at once.
   */
  constructor(docs: Iterable<string[]>, options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    const b = options.b ?? 0.75;
    const perDoc: Uint32Array[] = [];
    const lengths: number[] = [];
    let df = new Uint32Array(1024);
    for (const tokens of docs) {
      const counts = new Map<number, number>();
      for (const token of tokens) {
        let id = this.termIds.get(token);
        if (id === undefined) {
          id = this.termIds.size;
          this.termIds.set(token, id);
        }
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const pairs = new Uint32Array(counts.size * 2);
      let at = 0;
      for (const [id, tf] of counts) {
        pairs[at++] = id;
        pairs[at++] = tf;
        if (id >= df.length) {
          const grown = new Uint32Array(Math.max(df.length * 2, id + 1));
          grown.set(df);
          df = grown;
        }
        df[id]!++;
      }
      perDoc.push(pairs);
      lengths.push(tokens.length);
    }
    this.size = perDoc.length;
    const termCount = this.termIds.size;
    this.offsets = new Uint32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) this.offsets[t + 1] = this.offsets[t]! + df[t]!;
    const total = this.offsets[termCount]!;
    this.postingDocs = new Uint32Array(total);
    this.postingTfs = new Float32Array(total);
    const fill = this.offsets.slice(0, termCount);
    perDoc.forEach((pairs, d) => {
      for (let i = 0; i < pairs.length; i += 2) {
        const slot = fill[pairs[i]!]!++;
        this.postingDocs[slot] = d;
        this.postingTfs[slot] = pairs[i + 1]!;
      }
    });
    const avg = lengths.reduce((a, n) => a + n, 0) / Math.max(1, this.size);
    this.docNorms = Float32Array.from(
      lengths,
      (n) => this.k1 * (1 - b + (b * n) / Math.max(avg, 1)),
    );
  }

  /** Robertson-Sparck Jones IDF, floored at a small positive value so common terms never subtract. */
  idf(term: string): number {
    const id = this.termIds.get(term);
    if (id === undefined) return 0;
    const df = this.offsets[id + 1]! - this.offsets[id]!;
    return Math.max(0.01, Math.log(1 + (this.size - df + 0.5) / (df + 0.5)));
  }

  /** Document frequency of a term (0 when unseen). */
  docFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /** Scores every document containing a query term; `accept` filters documents by number. */
  search(terms: WeightedTerm[], k: number, accept?: (doc: number) => boolean): ScoredDoc[] {
    const scores = new Float32Array(this.size);
    const touched = new Uint32Array(this.size);
    let touchedCount = 0;
    const merged = new Map<string, number>();
    for (const { term, weight } of terms) merged.set(term, (merged.get(term) ?? 0) + weight);
    for (const [term, weight] of merged) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term) * weight;
      const end = this.offsets[id + 1]!;
      for (let p = this.offsets[id]!; p < end; p++) {
        const doc = this.postingDocs[p]!;
        const tf = this.postingTfs[p]!;
        if (scores[doc] === 0) touched[touchedCount++] = doc;
        scores[doc]! += (idf * tf * (this.k1 + 1)) / (tf + this.docNorms[doc]!);
      }
    }
    // Threshold at the k-th best score with a typed sort, then build objects only for those.
    let threshold = -Infinity;
    if (!accept && touchedCount > k) {
      const sorted = new Float32Array(touchedCount);
      for (let i = 0; i < touchedCount; i++) sorted[i] = scores[touched[i]!]!;
      sorted.sort();
      threshold = sorted[touchedCount - k]!;
    }
    const results: ScoredDoc[] = [];
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i]!;
      const score = scores[doc]!;
      if (score < threshold || (accept && !accept(doc))) continue;
      results.push({ doc, score });
    }
    return topK(results, k);
  }
}

/** The k best by score, best first. */
export function topK(items: ScoredDoc[], k: number): ScoredDoc[] {
  if (items.length > k * 4) {
    // A numeric typed-array sort finds the k-th score fast, so the object sort stays small.
    const scores = Float64Array.from(items, (i) => i.score).sort();
    const threshold = scores[scores.length - k]!;
    items = items.filter((i) => i.score >= threshold);
  }
  return items.sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, k);
}
