import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitReport } from '../../src/ingest/split-report.ts';

const REPORT = `关于2030年示范镇法治建设情况的报告
一、主要举措和成效
（一）强化领导，完善机制。一是成立领导小组；二是累计执法12次。
（二）加强宣传。发放材料500余份。
二、存在的不足
一是宣传不够；二是人才较少。
三、负责人履职情况
（1） 强化组织领导
成立委员会。
四、履行法院生效裁判情况
无`;

test('splits a report by its heading hierarchy and 一是/二是 items, keeping section paths', () => {
  const chunks = splitReport({
    source: 'reports/示范镇.txt',
    kind: 'report',
    title: '示范镇报告',
    year: 2030,
    text: REPORT,
    audience: 'internal',
  });
  assert.deepEqual(
    chunks.map((c) => [c.meta.section, c.text, c.meta.lines[0]]),
    [
      ['（开头）', '关于2030年示范镇法治建设情况的报告', 1],
      ['一、主要举措和成效 > （一）强化领导，完善机制', '一是成立领导小组；', 3],
      ['一、主要举措和成效 > （一）强化领导，完善机制', '二是累计执法12次。', 3],
      ['一、主要举措和成效 > （二）加强宣传', '发放材料500余份。', 4],
      ['二、存在的不足', '一是宣传不够；', 6],
      ['二、存在的不足', '二是人才较少。', 6],
      ['三、负责人履职情况 > （1） 强化组织领导', '成立委员会。', 9],
      ['四、履行法院生效裁判情况', '无', 11],
    ],
  );
  assert.ok(chunks.every((c) => c.meta.year === 2030 && c.meta.audience === 'internal'));
});
