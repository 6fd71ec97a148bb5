import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createReportLookup } from '../../src/lookup/lookup-handler.ts';
import { SHIFAN, SONGCUN } from './helpers.ts';

test('the 查 handler: fixed clock, internal reports only where internal documents may go, reload', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fazhi-lookup-'));
  mkdirSync(join(dir, 'reports'), { recursive: true });
  copyFileSync(SONGCUN, join(dir, 'reports', 'songcun-2023-fazhi-report.txt'));
  const warnings: string[] = [];
  const handler = createReportLookup(dir, {
    now: () => new Date('2024-03-01T08:00:00'),
    warn: (line) => warnings.push(line),
  });
  const both = { audiences: ['public', 'internal'] as ('public' | 'internal')[] };
  const group = { audiences: ['public'] as ('public' | 'internal')[] };

  assert.match((await handler.lookup('去年执法了多少次', both)).text, /累计执法43次/u);
  assert.match((await handler.lookup('执法了多少次', both)).text, /^【2023年 沁县松村镇】/u);

  // A 2024 report marked internal, added later: seen after reload, and only in private chats.
  writeFileSync(
    join(dir, 'reports', '示范镇-2024.txt'),
    `---\naudience: internal\n---\n${readFileSync(SHIFAN, 'utf8')}`,
  );
  writeFileSync(join(dir, 'reports', '坏.pdf'), '%PDF-1.4 truncated');
  assert.doesNotMatch((await handler.lookup('执法了多少次', both)).text, /48次/u);
  const skipped = await handler.reload();
  assert.deepEqual(
    skipped.map((s) => s.source),
    ['reports/坏.pdf'],
  );
  assert.equal(warnings.length, 1);
  const privately = await handler.lookup('执法了多少次', both);
  assert.match(privately.text, /累计执法48次/u);
  assert.match(privately.text, /2024年比2023年多5次/u);
  const inGroup = await handler.lookup('执法了多少次', group);
  assert.doesNotMatch(inGroup.text, /48次/u);
  assert.match(inGroup.text, /累计执法43次/u);
  const now = await handler.lookup('今年执法多少次', group);
  assert.match(now.text, /没有找到二〇二四年的报告/u);
});
