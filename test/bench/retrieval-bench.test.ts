import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runRetrievalBench, type BenchQuery } from '../../src/bench/retrieval-bench.ts';
import type { Chunk } from '../../src/ingest/types.ts';

const article = (law: string, number: string, text: string, i: number): Chunk => ({
  id: `t#${i}`,
  text,
  meta: {
    source: 't',
    kind: 'law',
    title: law,
    article: number,
    audience: 'public',
    lines: [i, i],
  },
});

const chunks = [
  article('人民调解法', '第四条', '人民调解委员会调解民间纠纷，不收取任何费用。', 1),
  article(
    '反家庭暴力法',
    '第二十三条',
    '当事人因遭受家庭暴力，可以向人民法院申请人身安全保护令。',
    2,
  ),
  article('森林法', '第三十四条', '地方各级人民政府负责本行政区域的森林防火工作。', 3),
];

test('runs the project retriever and the baseline on the same queries, skipping out-of-corpus gold', async () => {
  const queries: BenchQuery[] = [
    {
      id: 'a',
      query: '调解收费用吗',
      gold: [{ law: '人民调解法', article: '第四条', in_corpus: true }],
    },
    {
      id: 'b',
      query: '申请人身安全保护令',
      gold: [{ law: '反家庭暴力法', article: '第二十三条' }],
    },
    { id: 'c', query: '商标侵权', gold: [{ law: '商标法', article: '第一条', in_corpus: false }] },
  ];
  const result = await runRetrievalBench({
    chunks,
    queries,
    ownCorpus: true,
    vocabulary: { synonyms: [], notes: [] },
    dimensions: 64,
  });
  assert.equal(result.queries, 2);
  assert.equal(result.skipped, 1);
  assert.equal(result.r1, 1);
  assert.equal(result.mrr10, 1);
  assert.equal(result.baseline.r10, 1);
  assert.equal(result.ablations.lexical.r1, 1);
  assert.ok(result.p95_ms >= result.p50_ms && result.rss_mb > 0 && result.build_s >= 0);

  const all = await runRetrievalBench({
    chunks,
    queries,
    ownCorpus: false,
    vocabulary: { synonyms: [], notes: [] },
    dimensions: 64,
  });
  assert.equal(all.queries, 3);
  assert.equal(all.r10, 2 / 3, 'a query whose gold is absent scores 0 and still counts');
});
