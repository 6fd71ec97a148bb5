import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadReports } from '../../src/lookup/load-reports.ts';
import { SHIFAN, SONGCUN } from './helpers.ts';

test('loadReports parses every report under reports/ and lists the files it cannot use', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fazhi-reports-'));
  mkdirSync(join(dir, 'reports', '2024'), { recursive: true });
  mkdirSync(join(dir, 'guides'), { recursive: true });
  copyFileSync(SONGCUN, join(dir, 'reports', 'songcun-2023-fazhi-report.txt'));
  copyFileSync(SHIFAN, join(dir, 'reports', '2024', '示范镇-2024.txt'));
  writeFileSync(join(dir, 'reports', '坏.pdf'), '%PDF-1.4 truncated');
  writeFileSync(join(dir, 'reports', '2025-notes.md'), '几条零散的笔记，没有编号。\n');
  writeFileSync(join(dir, 'reports', '无年份.txt'), '某镇工作总结\n一、主要做法\n开展普法。\n');
  writeFileSync(join(dir, 'guides', '调解.md'), '# 调解\n一、什么是调解\n');

  const { reports, skipped } = await loadReports(dir);
  assert.deepEqual(
    reports.map((r) => [r.source, r.year, r.town, r.parts.length]),
    [
      ['reports/songcun-2023-fazhi-report.txt', 2023, '沁县松村镇', 7],
      ['reports/2024/示范镇-2024.txt', 2024, '示范县示范镇', 7],
    ],
  );
  assert.deepEqual(
    skipped.map((s) => s.source),
    ['reports/2025-notes.md', 'reports/坏.pdf', 'reports/无年份.txt'],
  );
  assert.match(skipped[0]!.reason, /no numbered parts/u);
  assert.ok(skipped[1]!.reason.length > 0);
  assert.match(skipped[2]!.reason, /year unknown/u);
});

test('loadReports on a folder without reports/ returns nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fazhi-reports-'));
  assert.deepEqual(await loadReports(dir), { reports: [], skipped: [] });
});
