import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeText } from '../ingest/decode-text.ts';
import { isArticleNumber, normalizeLawTitle } from '../ingest/split-statute.ts';
import type { Chunk } from '../ingest/types.ts';

/**
 * Article notes (knowledge/article-notes/*.tsv): for one statute article, the words people use
 * when their question is about it ("闺女出嫁地被收回" for 农村土地承包法第三十一条). A hand-written
 * document expansion: the notes are searched beside the article's own text, so a question in
 * plain speech can find an article that shares none of its words. They point at articles, never
 * replace them: a note whose article is not indexed matches nothing, and notes are never quoted.
 */
export interface ArticleNote {
  law: string;
  article: string;
  phrases: string[];
  /**
   * The first Han characters of the article the note was written for. Amendments renumber
   * articles, so a note whose anchor does not begin the indexed article (most likely another
   * version of the law) is not attached rather than attached to the wrong article.
   */
  anchor?: string;
}

export interface ParsedNotes {
  notes: ArticleNote[];
  /** `file:line: reason` for every line or file that was skipped. */
  problems: string[];
}

/** Han characters only: the anchor comparison ignores punctuation, spaces and Arabic digits. */
export function hanOnly(text: string): string {
  return text.replace(/[^\p{Script=Han}]/gu, '');
}

const FORMAT = '"法名<TAB>第X条<TAB>说法；说法[<TAB>条文开头]"';

/** Why a line cannot be a note, or undefined when it can. */
function lineProblem(cells: string[], phrases: string[]): string | undefined {
  const [law, article, , anchor] = cells;
  if (cells.length < 3 || cells.length > 4) {
    return `expected ${FORMAT}, tab-separated; found ${cells.length} column(s)`;
  }
  if (!law) return 'the law name (first column) is empty';
  if (!isArticleNumber(article!)) return `"${article}" is not an article number like 第十条`;
  if (!phrases.length) return 'no phrases in the third column (separate them with ；)';
  if (anchor && !hanOnly(anchor)) return `the opening "${anchor}" has no Chinese characters`;
  return undefined;
}

/** `法名<TAB>第X条<TAB>说法；说法…[<TAB>条文开头]`, `#` comments. Bad lines are skipped and named. */
export function parseArticleNotes(text: string, file = 'article-notes.tsv'): ParsedNotes {
  const notes: ArticleNote[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const cells = line.split('\t').map((cell) => cell.trim());
    const phrases = (cells[2] ?? '')
      .split(/[；;]/u)
      .map((p) => p.trim())
      .filter(Boolean);
    const problem = lineProblem(cells, phrases);
    if (problem) {
      problems.push(`${file}:${index + 1}: ${problem}`);
      return;
    }
    const note: ArticleNote = { law: normalizeLawTitle(cells[0]!), article: cells[1]!, phrases };
    if (cells[3]) note.anchor = hanOnly(cells[3]);
    notes.push(note);
  });
  return { notes, problems };
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * Every `.tsv` file of the folder, in name order (UTF-8 or GBK). A missing folder means no
 * notes; an unreadable file is named in the problems and the others still load.
 */
export function loadArticleNotes(dir: string): ParsedNotes {
  const all: ParsedNotes = { notes: [], problems: [] };
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => !entry.isDirectory() && entry.name.endsWith('.tsv'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if (errorCode(error) !== 'ENOENT')
      all.problems.push(`${dir}: unreadable (${errorCode(error)})`);
    return all;
  }
  for (const name of names) {
    let text: string;
    try {
      text = decodeText(readFileSync(join(dir, name)));
    } catch (error) {
      all.problems.push(`${name}: unreadable (${errorCode(error)})`);
      continue;
    }
    const parsed = parseArticleNotes(text, name);
    all.notes.push(...parsed.notes);
    all.problems.push(...parsed.problems);
  }
  return all;
}

export interface AttachedNotes {
  /** Per chunk, the note text of its article ('' for none). */
  texts: string[];
  /** Notes for an indexed law that found no article to attach to. */
  unattached: ArticleNote[];
}

/**
 * Gives each article's notes to the first chunk of that article in each source file (a long
 * article split in parts is found once, not once per part). A note attaches only where its anchor
 * begins the article, so a law indexed in two versions gets each note on the version it fits.
 * Several note lines for one article (a township's own file beside the shipped one) add up.
 */
export function attachNotes(
  chunks: readonly Chunk[],
  notes: readonly ArticleNote[],
): AttachedNotes {
  const byArticle = new Map<string, ArticleNote[]>();
  for (const note of notes) {
    const key = `${note.law}|${note.article}`;
    byArticle.set(key, [...(byArticle.get(key) ?? []), note]);
  }
  const texts = chunks.map(() => '');
  const used = new Set<ArticleNote>();
  const seen = new Set<string>();
  chunks.forEach((chunk, i) => {
    const { kind, title, article, source } = chunk.meta;
    if (kind !== 'law' || !article) return;
    const candidates = byArticle.get(`${title}|${article}`);
    const first = `${source}|${title}|${article}`;
    if (!candidates || seen.has(first)) return;
    seen.add(first);
    const opening = hanOnly(chunk.text);
    const fitting = candidates.filter((n) => !n.anchor || opening.startsWith(n.anchor));
    for (const note of fitting) used.add(note);
    texts[i] = fitting.flatMap((n) => n.phrases).join('；');
  });
  const indexedLaws = new Set(chunks.filter((c) => c.meta.kind === 'law').map((c) => c.meta.title));
  const unattached = notes.filter((n) => indexedLaws.has(n.law) && !used.has(n));
  return { texts, unattached };
}
