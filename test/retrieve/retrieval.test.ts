import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadLawChunks } from '../../src/bench/bench-corpus.ts';
import { HashedNgramEmbeddings } from '../../src/index/hashed-embeddings.ts';
import type { Chunk } from '../../src/ingest/types.ts';
import { buildRetriever } from '../../src/retrieve/build-retriever.ts';
import { lexicalText, type HybridRetriever } from '../../src/retrieve/hybrid-search.ts';
import { expandQuery, parseSynonyms } from '../../src/retrieve/query-expansion.ts';

const LAWS = new URL('../../../shared/corpus/laws', import.meta.url).pathname;
let retriever: HybridRetriever;
let chunks: Chunk[];

before(async () => {
  chunks = await loadLawChunks(LAWS);
  const embeddings = new HashedNgramEmbeddings(1024);
  embeddings.fit(chunks.map(lexicalText));
  const synonyms = parseSynonyms('欠工资\t劳动报酬 工资\n打人\t殴打\n');
  retriever = await buildRetriever({ chunks, embeddings, synonyms });
});

const top10 = async (question: string) =>
  (await retriever.retrievePassages(question, { k: 10 })).map(
    (p) => `${p.chunk.meta.title}${p.chunk.meta.article}`,
  );

test('indexes every article of the 35 statutes in shared/corpus', () => {
  assert.equal(chunks.length >= 5996, true);
  assert.equal(new Set(chunks.map((c) => `${c.meta.title}|${c.meta.article}`)).size, 5996);
});

test('finds the article that answers a plain question', async () => {
  assert.ok((await top10('人民调解委员会调解民间纠纷收不收费用')).includes('人民调解法第四条'));
  assert.ok(
    (await top10('夫妻一方以个人名义超出家庭日常生活需要所负的债务')).includes(
      '民法典第一千零六十四条',
    ),
  );
  assert.ok((await top10('申请行政复议的期限是多少天')).includes('行政复议法第二十条'));
});

test('filters by kind, year and audience', async () => {
  const none = await retriever.retrievePassages('调解', { filter: { kinds: ['report'] } });
  assert.deepEqual(none, []);
  const laws = await retriever.retrievePassages('调解', {
    k: 5,
    filter: { kinds: ['law'], audiences: ['public'] },
  });
  assert.equal(laws.length, 5);
  assert.deepEqual(await retriever.retrievePassages('调解', { filter: { years: [2023] } }), []);
});

test('every mode returns ranked passages with the ranks that produced them', async () => {
  for (const mode of ['lexical', 'dense', 'hybrid'] as const) {
    const passages = await retriever.retrievePassages('家庭暴力 人身安全保护令', { k: 5, mode });
    assert.equal(passages.length, 5, mode);
    assert.ok(
      passages.every((p, i) => i === 0 || passages[i - 1]!.score >= p.score),
      mode,
    );
  }
});

test('expands colloquial words with the legal terms of the synonym table', () => {
  const table = parseSynonyms('# comment\n欠工资\t劳动报酬 工资\n打人\t殴打\n');
  assert.deepEqual(expandQuery('老板欠工资还打人', table), ['劳动报酬', '工资', '殴打']);
  assert.deepEqual(expandQuery('天气', table), []);
  assert.throws(() => parseSynonyms('欠工资 劳动报酬\n'), /synonyms.tsv:1: expected/);
});
