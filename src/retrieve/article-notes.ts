import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk } from '../ingest/types.ts';
import { normalizeLawTitle } from '../ingest/split-statute.ts';

/**
 * Article notes (knowledge/article-notes/*.tsv): for one statute article, the words people use
 * when their question is about it ("闺女出嫁地被收回" for 农村土地承包法第三十一条). A hand-written
 * document expansion: the notes are searched beside the article's own text, so a question in
 * plain speech can find an article that shares none of its words. They point at articles, never
 * replace them: a note whose article is not indexed matches nothing.
 */
export interface ArticleNote {
  law: string;
  article: string;
  phrases: string[];
  /**
   * The first Han characters of the article the note was written for. Amendments renumber
   * articles, so a note whose anchor does not begin the indexed article (another version of the
   * law) is not attached rather than attached to the wrong article.
   */
  anchor?: string;
}

export interface ParsedNotes {
  notes: ArticleNote[];
  /** `file:line: reason` for every line that was skipped. */
  problems: string[];
}

const ARTICLE_NUMBER = /^第[零〇一二三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?$/u;

/** Han characters only: the anchor comparison ignores punctuation, spaces and numbering. */
export function hanOnly(text: string): string {
  return text.replace(/[^\p{Script=Han}]/gu, '');
}

/**
 * `法名<TAB>第X条<TAB>说法；说法…[<TAB>条文开头]`, `#` comments. Bad lines are skipped and named.
 */
export function parseArticleNotes(text: string, file = 'article-notes.tsv'): ParsedNotes {
  const notes: ArticleNote[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [law, article, phrases, anchor] = line.split('\t').map((cell) => cell.trim());
    const list = (phrases ?? '')
      .split(/[；;]/u)
      .map((p) => p.trim())
      .filter(Boolean);
    if (!law || !article || !ARTICLE_NUMBER.test(article) || !list.length) {
      problems.push(
        `${file}:${index + 1}: expected "法名<TAB>第X条<TAB>说法；说法" (tabs between the columns), got "${line.slice(0, 60)}"`,
      );
      return;
    }
    const note: ArticleNote = { law: normalizeLawTitle(law), article, phrases: list };
    if (anchor) note.anchor = hanOnly(anchor);
    notes.push(note);
  });
  return { notes, problems };
}

/** Every `.tsv` in the folder, in name order; a missing folder means no notes. */
export function loadArticleNotes(dir: string): ParsedNotes {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.tsv'))
      .sort();
  } catch {
    return { notes: [], problems: [] };
  }
  const all: ParsedNotes = { notes: [], problems: [] };
  for (const name of names) {
    const parsed = parseArticleNotes(readFileSync(join(dir, name), 'utf8'), name);
    all.notes.push(...parsed.notes);
    all.problems.push(...parsed.problems);
  }
  return all;
}

const articleKey = (law: string, article: string) => `${law}|${article}`;

/**
 * Per chunk, the note text of its article ('' for none). Every chunk of a long article gets the
 * notes; several note lines for one article (a township's own file beside the shipped one) add up.
 * A note whose anchor does not begin the article's first chunk belongs to another version.
 */
export function noteTextByChunk(chunks: readonly Chunk[], notes: readonly ArticleNote[]): string[] {
  const keyOf = ({ meta }: Chunk) =>
    meta.kind === 'law' && meta.article ? articleKey(meta.title, meta.article) : undefined;
  const opening = new Map<string, string>();
  for (const chunk of chunks) {
    const key = keyOf(chunk);
    if (key && !opening.has(key)) opening.set(key, hanOnly(chunk.text));
  }
  const byKey = new Map<string, string[]>();
  for (const note of notes) {
    const key = articleKey(note.law, note.article);
    const text = opening.get(key);
    if (text === undefined || (note.anchor && !text.startsWith(note.anchor))) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), ...note.phrases]);
  }
  return chunks.map((chunk) => {
    const key = keyOf(chunk);
    return (key && byKey.get(key)?.join('；')) || '';
  });
}
