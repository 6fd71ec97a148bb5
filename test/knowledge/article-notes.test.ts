import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { loadLawChunks } from '../../src/bench/bench-corpus.ts';
import type { Chunk } from '../../src/ingest/types.ts';
import { QuestionAnswerer } from '../../src/answer/answer-question.ts';
import { attachNotes, hanOnly, loadArticleNotes } from '../../src/retrieve/article-notes.ts';
import { buildOfflineRetriever } from '../../src/retrieve/build-retriever.ts';
import { loadVocabulary } from '../../src/retrieve/vocabulary.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const SHARED = join(ROOT, '../shared');
const shipped = loadArticleNotes(join(ROOT, 'knowledge/article-notes'));
/** law|article -> Han text of the article: the statutes, and the STARD pool for other laws. */
const opening = new Map<string, string>();
let statutes: Chunk[] = [];

before(async () => {
  statutes = await loadLawChunks(join(SHARED, 'corpus/laws'));
  const corpusLaws = new Set(statutes.map((c) => c.meta.title));
  for (const c of statutes) {
    const key = `${c.meta.title}|${c.meta.article}`;
    if (!opening.has(key)) opening.set(key, hanOnly(c.text));
  }
  for (const line of readFileSync(join(SHARED, 'bench/articles.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { law: string; article: string; text: string };
    if (!corpusLaws.has(row.law)) opening.set(`${row.law}|${row.article}`, hanOnly(row.text));
  }
});

test('every shipped note line parses', () => {
  assert.deepEqual(shipped.problems, []);
  assert.ok(shipped.notes.length > 5000, `only ${shipped.notes.length} notes`);
});

test('every note names an existing article and carries the opening of that article', () => {
  const wrong = shipped.notes
    .filter((n) => {
      const text = opening.get(`${n.law}|${n.article}`);
      return !n.anchor || text === undefined || !text.startsWith(n.anchor);
    })
    .map((n) => `${n.law}${n.article} ${n.anchor ?? '(no anchor)'}`);
  assert.deepEqual(wrong, []);
});

test('notes describe situations: no citations, no long sentences', () => {
  const bad = shipped.notes.flatMap((n) =>
    n.phrases
      .filter((p) => /第[零一二三四五六七八九十百千]+条|《/u.test(p) || [...p].length > 24)
      .map((p) => `${n.law}${n.article}: ${p}`),
  );
  assert.deepEqual(bad, []);
});

test('the notes of the statutes in the corpus all attach to their articles', () => {
  const { texts, unattached } = attachNotes(statutes, shipped.notes);
  assert.deepEqual(
    unattached.map((n) => `${n.law}${n.article}`),
    [],
  );
  // One chunk per noted article: the first part of each.
  const corpusLaws = new Set(statutes.map((c) => c.meta.title));
  const noted = new Set(
    shipped.notes.filter((n) => corpusLaws.has(n.law)).map((n) => `${n.law}|${n.article}`),
  );
  assert.equal(texts.filter(Boolean).length, noted.size);
  assert.ok(noted.size > 4000, `${noted.size} articles of the corpus have notes`);
});

test("with the shipped vocabulary the issue's own example finds its article first", async () => {
  const vocabulary = loadVocabulary(join(ROOT, 'knowledge'));
  const retriever = await buildOfflineRetriever(statutes, vocabulary);
  const [first] = await retriever.retrievePassages('俺闺女嫁到邻村了，村里要把她那份地收回', {
    k: 1,
  });
  assert.equal(`${first!.chunk.meta.title}${first!.chunk.meta.article}`, '农村土地承包法第三十一条');
  assert.ok(first!.noteRank, 'found through its notes');
  // With no guide to lead the answer, the article found through its notes is still quoted.
  const answer = await new QuestionAnswerer(retriever, []).answerQuestion(
    '俺闺女嫁到邻村了，村里要把她那份地收回',
  );
  assert.match(answer.text, /《农村土地承包法》第三十一条/u);
});
