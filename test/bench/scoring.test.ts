import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dedupeKeys, percentile, scoreQuery, summarize } from '../../src/bench/scoring.ts';

test('scores recall and MRR as the bench README defines them, on a hand-computed example', () => {
  // Chunks of the same article collapse to one key, keeping the first.
  const ranked = dedupeKeys([
    { law: '民法典', article: '第一条' },
    { law: '民法典', article: '第一条' },
    { law: '刑法', article: '第二条' },
    { law: '民法典', article: '第三条' },
  ]);
  assert.deepEqual(ranked, ['民法典|第一条', '刑法|第二条', '民法典|第三条']);
  const a = scoreQuery(ranked, ['刑法|第二条', '民法典|第九条']);
  assert.deepEqual(a, { recall: { 1: 0, 5: 0.5, 10: 0.5 }, mrr10: 0.5 });
  const b = scoreQuery([], ['刑法|第二条']);
  assert.deepEqual(b, { recall: { 1: 0, 5: 0, 10: 0 }, mrr10: 0 });
  const c = scoreQuery(['刑法|第二条'], ['刑法|第二条']);
  assert.deepEqual(summarize([a, b, c]), { queries: 3, r1: 1 / 3, r5: 0.5, r10: 0.5, mrr10: 0.5 });
});

test('an article past rank 10 does not count', () => {
  const ranked = Array.from({ length: 11 }, (_, i) => `法|第${i}条`);
  assert.deepEqual(scoreQuery(ranked, ['法|第10条']), { recall: { 1: 0, 5: 0, 10: 0 }, mrr10: 0 });
});

test('takes nearest-rank percentiles', () => {
  assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
  assert.equal(percentile([], 95), 0);
});
