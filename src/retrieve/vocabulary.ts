import { join } from 'node:path';
import { loadArticleNotes, type ArticleNote } from './article-notes.ts';
import { loadSynonyms, type SynonymEntry } from './query-expansion.ts';

/**
 * The township's words for the law, both maintained in knowledge/: the synonym table expands a
 * question, the article notes expand the articles. Read once when the retriever is assembled.
 */
export interface Vocabulary {
  synonyms: SynonymEntry[];
  notes: ArticleNote[];
  /** Note lines that were skipped, `file:line: reason`, for the operator to fix. */
  problems: string[];
}

/** What retrieval needs of the vocabulary (the problems are for the operator). */
export type RetrievalVocabulary = Pick<Vocabulary, 'synonyms' | 'notes'>;

export function loadVocabulary(knowledgeDir: string): Vocabulary {
  const { notes, problems } = loadArticleNotes(join(knowledgeDir, 'article-notes'));
  return { synonyms: loadSynonyms(join(knowledgeDir, 'synonyms.tsv')), notes, problems };
}
