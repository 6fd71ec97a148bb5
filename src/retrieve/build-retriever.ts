import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { Bm25Index } from '../index/bm25-index.ts';
import { DenseIndex } from '../index/dense-index.ts';
import { HashedNgramEmbeddings } from '../index/hashed-embeddings.ts';
import { tokenize } from '../index/tokenize.ts';
import type { Chunk } from '../ingest/types.ts';
import {
  DEFAULT_FUSION,
  HybridRetriever,
  lexicalText,
  type FusionWeights,
  type NoteIndex,
  type SectionIndex,
} from './hybrid-search.ts';
import { attachNotes, type ArticleNote } from './article-notes.ts';
import type { SynonymEntry } from './query-expansion.ts';
import { findRepealedLaws } from './repealed-laws.ts';
import type { RetrievalVocabulary } from './vocabulary.ts';

export interface RetrieverInputs {
  chunks: Chunk[];
  /** Omit for a lexical-only retriever. */
  embeddings?: EmbeddingsInterface;
  /** The saved dense index for `chunks`; built here (embedding every chunk) when absent. */
  dense?: DenseIndex;
  synonyms?: SynonymEntry[];
  /** Article notes (knowledge/article-notes/): searched beside the statutes' own words. */
  notes?: readonly ArticleNote[];
  fusion?: FusionWeights;
  /** The clock: which repeals are already in force. */
  today?: Date;
}

/** Yields f(item, index) one at a time, so the token lists of a large pool never coexist. */
export function* mapLazily<T, U>(
  items: readonly T[],
  f: (item: T, index: number) => U,
): Generator<U> {
  for (let i = 0; i < items.length; i++) yield f(items[i]!, i);
}

// Statutes without chapter headings (the STARD article pool) are grouped in runs of 16
// consecutive articles instead, roughly a chapter: measured 0.504 R@10 on the pool against
// 0.488 for whole documents (runs of 8: 0.500, 24: 0.493, 40: 0.505).
const ARTICLES_PER_RUN = 16;
function sectionless(chunk: Chunk, index: number): string {
  return chunk.meta.kind === 'law' ? `run${Math.floor(index / ARTICLES_PER_RUN)}` : '';
}

/** The words a chunk is found by: its citation fields, its text and its article's notes. */
type SearchText = (chunk: Chunk, index: number) => string;

/** Groups chunks by document and section path and indexes each group's text as one. */
export function buildSectionIndex(
  chunks: readonly Chunk[],
  searchText: SearchText = lexicalText,
): SectionIndex {
  const ids = new Map<string, number>();
  const members: number[][] = [];
  const sectionOf = new Uint32Array(chunks.length);
  chunks.forEach((chunk, i) => {
    const key = `${chunk.meta.source}|${chunk.meta.title}|${chunk.meta.section ?? sectionless(chunk, i)}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = members.length;
      ids.set(key, id);
      members.push([]);
    }
    members[id]!.push(i);
    sectionOf[i] = id;
  });
  const index = new Bm25Index(
    mapLazily(members, (list) => list.flatMap((i) => tokenize(searchText(chunks[i]!, i)))),
  );
  return { index, sectionOf };
}

/** BM25 over the note texts of the chunks that have some; undefined when none do. */
export function buildNoteIndex(texts: readonly string[]): NoteIndex | undefined {
  const ordinals: number[] = [];
  texts.forEach((text, i) => {
    if (text) ordinals.push(i);
  });
  if (!ordinals.length) return undefined;
  return {
    index: new Bm25Index(mapLazily(ordinals, (i) => tokenize(texts[i]!))),
    chunkOf: Uint32Array.from(ordinals),
  };
}

/** Assembles the retriever: the lexical index is always rebuilt from the chunk texts (fast). */
export async function buildRetriever(inputs: RetrieverInputs): Promise<HybridRetriever> {
  const { chunks, embeddings } = inputs;
  // An article's notes count as its words (and its section's), and are also searched on their
  // own: measured better than either alone (BENCHMARKS.md, article notes).
  const { texts: noteTexts, unattached } = attachNotes(chunks, inputs.notes ?? []);
  const searchText: SearchText = (chunk, i) =>
    noteTexts[i] ? `${lexicalText(chunk)} ${noteTexts[i]}` : lexicalText(chunk);
  const lexical = new Bm25Index(mapLazily(chunks, (c, i) => tokenize(searchText(c, i))));
  const noteIndex = buildNoteIndex(noteTexts);
  let dense = inputs.dense;
  if (!dense && embeddings)
    dense = await DenseIndex.embedAndBuild(embeddings, chunks.map(lexicalText));
  return new HybridRetriever(
    {
      chunks,
      lexical,
      ...(dense && embeddings && { dense, embeddings }),
      ...(inputs.synonyms && { synonyms: inputs.synonyms }),
      repealed: findRepealedLaws(chunks, inputs.today ?? new Date()),
      sections: buildSectionIndex(chunks, searchText),
      ...(noteIndex && { noteIndex, noteTexts }),
      unattachedNotes: unattached,
    },
    inputs.fusion ?? DEFAULT_FUSION,
  );
}

/**
 * The retriever on the offline defaults, built in memory over chunks that are not saved (the
 * bench): the hashed embedder's IDF is fitted on these chunks first.
 */
export async function buildOfflineRetriever(
  chunks: Chunk[],
  vocabulary: RetrievalVocabulary,
  dimensions = 1024,
): Promise<HybridRetriever> {
  const embeddings = new HashedNgramEmbeddings(dimensions);
  embeddings.fit(chunks.map(lexicalText));
  const { synonyms, notes } = vocabulary;
  return buildRetriever({ chunks, embeddings, synonyms, notes });
}
