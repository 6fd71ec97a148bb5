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

  constructor(docs: string[][], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    const b = options.b ?? 0.75;
    this.size = docs.length;
    const lists: number[][] = [];
    let totalLength = 0;
    for (let d = 0; d < docs.length; d++) {
      const tokens = docs[d]!;
      totalLength += tokens.length;
      const counts = new Map<number, number>();
      for (const token of tokens) {
        let id = this.termIds.get(token);
        if (id === undefined) {
          id = lists.length;
          this.termIds.set(token, id);
          lists.push([]);
        }
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      for (const [id, tf] of counts) lists[id]!.push(d, tf);
    }
    this.offsets = new Uint32Array(lists.length + 1);
    let total = 0;
    for (let t = 0; t < lists.length; t++) {
      this.offsets[t] = total;
      total += lists[t]!.length / 2;
    }
    this.offsets[lists.length] = total;
    this.postingDocs = new Uint32Array(total);
    this.postingTfs = new Float32Array(total);
    for (let t = 0; t < lists.length; t++) {
      const list = lists[t]!;
      let at = this.offsets[t]!;
      for (let i = 0; i < list.length; i += 2, at++) {
        this.postingDocs[at] = list[i]!;
        this.postingTfs[at] = list[i + 1]!;
      }
    }
    const avg = totalLength / Math.max(1, docs.length);
    this.docNorms = new Float32Array(docs.length);
    for (let d = 0; d < docs.length; d++) {
      this.docNorms[d] = this.k1 * (1 - b + (b * docs[d]!.length) / Math.max(avg, 1));
    }
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
    const touched: number[] = [];
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
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += (idf * tf * (this.k1 + 1)) / (tf + this.docNorms[doc]!);
      }
    }
    const results: ScoredDoc[] = [];
    for (const doc of touched) {
      if (accept && !accept(doc)) continue;
      results.push({ doc, score: scores[doc]! });
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
