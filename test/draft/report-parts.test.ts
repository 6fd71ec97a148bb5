import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  partHeading,
  recognizeSection,
  REPORT_PARTS,
  UnknownSectionError,
} from '../../src/draft/report-parts.ts';

const numberOf = (name: string) => {
  const part = recognizeSection(name);
  return part === 'all' ? 'all' : part.number;
};

test('the seven parts carry the wording of the 2023 report', () => {
  assert.deepEqual(
    REPORT_PARTS.map((p) => partHeading(p, 2024)),
    [
      '一、法治政府建设的主要举措和成效',
      '二、存在的不足和原因',
      '三、党政主要负责人履行推进法治建设第一责任人职责，落实年度责任清单，加强法治政府建设相关情况',
      '四、履行法院生效裁判情况',
      '五、2024年推进法治政府建设的主要安排和具体计划',
      '六、对全县加强法治政府建设的意见建议',
      '七、其他需要报告的重要事项',
    ],
  );
});

test('a part is recognised from its number or its words', () => {
  const cases: [string, number | 'all'][] = [
    ['存在的不足', 2],
    ['二', 2],
    ['2', 2],
    ['第二部分', 2],
    ['不足和原因', 2],
    ['二、存在的不足和原因', 2],
    ['起草 存在的不足', 2],
    ['（二）', 2],
    ['主要举措', 1],
    ['一', 1],
    ['成效', 1],
    ['第一责任人', 3],
    ['党政主要负责人履职', 3],
    ['法院生效裁判', 4],
    ['第四部分', 4],
    ['五、2024年推进法治政府建设的主要安排和具体计划', 5],
    ['明年计划', 5],
    ['主要安排', 5],
    ['意见建议', 6],
    ['六', 6],
    ['其他事项', 7],
    ['全文', 'all'],
    ['全部', 'all'],
  ];
  for (const [name, expected] of cases) assert.equal(numberOf(name), expected, name);
});

test('an unknown or ambiguous name lists the parts', () => {
  for (const name of ['总结', '八', '法治', '']) {
    assert.throws(
      () => recognizeSection(name),
      (error: Error) =>
        error instanceof UnknownSectionError &&
        error.message.includes('二、存在的不足和原因') &&
        error.message.includes('七、其他需要报告的重要事项') &&
        error.message.includes('全文'),
      name,
    );
  }
});
