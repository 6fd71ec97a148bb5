import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readJsonl } from '../../src/bench/bench-corpus.ts';
import { benchToday, runReportAnswerBench } from '../../src/bench/report-answer-bench.ts';
import type { ReportQuery } from '../../src/bench/report-bench.ts';
import { ROOT, songcun } from './helpers.ts';

test('report-dev.jsonl: the look-up reply holds the expected strings (answer_contains >= 0.9)', async () => {
  const reports = [await songcun()];
  const queries = readJsonl<ReportQuery>(join(ROOT, '../shared/bench/report-dev.jsonl'));
  const result = runReportAnswerBench(reports, queries, benchToday(reports));
  assert.equal(result.queries, queries.filter((q) => !q.unanswerable).length);
  assert.ok(result.answer_contains >= 0.9, JSON.stringify(result.misses));
});

test('questions written for the tests: answers and "no such information"', async () => {
  const reports = [await songcun()];
  const queries = readJsonl<ReportQuery>(
    join(ROOT, 'test/fixtures/reports/report-questions.jsonl'),
  );
  const result = runReportAnswerBench(reports, queries, new Date('2024-03-01T08:00:00'));
  assert.equal(result.queries, 25);
  assert.equal(result.unanswerable, 10);
  assert.deepEqual(result.misses, []);
  assert.deepEqual(result.invented, []);
  assert.equal(result.answer_contains, 1);
  assert.equal(result.unanswerable_ok, 1);
});

test('the bench scores misses and invented figures', async () => {
  const reports = [await songcun()];
  const result = runReportAnswerBench(
    reports,
    [
      { id: 'a', query: '2023年执法了多少次', expect: ['43次'] },
      { id: 'b', query: '2023年执法了多少次', expect: ['44次'] },
      { id: 'c', query: '2023年执法了多少次', expect: [], unanswerable: true },
      { id: 'd', query: '2023年查处了多少起酒驾', expect: [], unanswerable: true },
    ],
    new Date('2024-03-01T08:00:00'),
  );
  assert.equal(result.answer_contains, 0.5);
  assert.equal(result.unanswerable_ok, 0.5);
  assert.deepEqual(result.misses, [{ id: 'b', missing: ['44次'] }]);
  assert.deepEqual(
    result.invented.map((i) => i.id),
    ['c'],
  );
  assert.equal(runReportAnswerBench(reports, [], benchToday(reports)).unanswerable_ok, null);
  assert.equal(benchToday(reports).toISOString(), '2024-03-01T00:00:00.000Z');
});
