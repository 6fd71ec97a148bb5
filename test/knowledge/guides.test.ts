import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { findCitedArticles } from '../../src/answer/cited-articles.ts';
import { loadLawChunks } from '../../src/bench/bench-corpus.ts';
import { parseSynonyms } from '../../src/retrieve/query-expansion.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const LAWS = join(ROOT, '../shared/corpus/laws');
const articleText = new Map<string, string>();
let corpusText = '';

const squash = (text: string) => text.replace(/[\s\u3000]/gu, '');

before(async () => {
  for (const chunk of await loadLawChunks(LAWS)) {
    const key = `${chunk.meta.title}|${chunk.meta.article}`;
    articleText.set(key, squash((articleText.get(key) ?? '') + chunk.text));
  }
  corpusText = readdirSync(LAWS)
    .filter((n) => n.endsWith('.md'))
    .map((n) => readFileSync(join(LAWS, n), 'utf8'))
    .join('\n');
});

const shipped = () =>
  readdirSync(join(ROOT, 'knowledge/guides'))
    .filter((n) => n.endsWith('.md'))
    .map((n) => `knowledge/guides/${n}`)
    .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

test('every article a shipped guide cites exists in the statutes with that number', () => {
  let checked = 0;
  for (const { path, text } of shipped()) {
    for (const key of findCitedArticles(text)) {
      assert.ok(articleText.has(`${key.law}|${key.article}`), `${path}: 《${key.law}》${key.article} is not in the corpus`);
      checked++;
    }
  }
  assert.ok(checked >= 50, `only ${checked} citations found`);
});

test('every quotation after a citation is verbatim from that article', () => {
  const QUOTE = /《([^》]+)》(第[^条]{1,12}条(?:之[一二三四五六七八九十]+)?)[:：]\s*“([^”]+)”/gu;
  let checked = 0;
  for (const { path, text } of shipped()) {
    for (const [, law, article, quote] of text.matchAll(QUOTE)) {
      const body = articleText.get(`${law}|${article}`) ?? '';
      for (const fragment of quote!.split(/…+/u).map(squash).filter(Boolean)) {
        assert.ok(body.includes(fragment), `${path}: 《${law}》${article} does not say “${fragment}”`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 50, `only ${checked} quotations found`);
});

test('every legal term of the synonym table occurs in the statutes', () => {
  const table = parseSynonyms(readFileSync(join(ROOT, 'knowledge/synonyms.tsv'), 'utf8'));
  assert.ok(table.length > 1000);
  const missing = table.flatMap((e) => e.legal).filter((term) => !corpusText.includes(term));
  assert.deepEqual([...new Set(missing)], []);
});
