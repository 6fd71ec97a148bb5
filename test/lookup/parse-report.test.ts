import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allSections, extractFigures, parseReport } from '../../src/lookup/parse-report.ts';
import { shifan, songcun } from './helpers.ts';

const P1 = '一、法治政府建设的主要举措和成效';
const P1_2 = '（二）强化依法执政，提升法治意识';
const P1_3 = '（三）强化依法治理，化解矛盾纠纷';
const P1_4 = '（四）强化法治宣传，优化法治政府建设环境';

test('the 2023 report: town, year, seven parts with their sub-parts and line numbers', async () => {
  const report = await songcun();
  assert.equal(report.town, '沁县松村镇');
  assert.equal(report.year, 2023);
  assert.equal(report.title, '关于2023年法治政府建设情况的报告');
  assert.deepEqual(report.titleLines, [
    '中共沁县松村镇党委',
    '沁县松村镇人民政府',
    '关于2023年法治政府建设情况的报告',
    '县委、县政府：',
  ]);
  assert.equal(report.intro.length, 1);
  assert.equal(report.intro[0]!.line, 7);
  assert.equal(report.parts.length, 7);
  assert.deepEqual(
    report.parts.map((p) => [p.heading, p.line, p.endLine, p.children.length, p.none]),
    [
      [P1, 8, 12, 4, false],
      ['二、存在的不足和原因', 13, 14, 0, false],
      [
        '三、党政主要负责人履行推进法治建设第一责任人职责，落实年度责任清单，加强法治政府建设相关情况',
        15,
        21,
        3,
        false,
      ],
      ['四、履行法院生效裁判情况', 22, 23, 0, true],
      ['五、2024年推进法治政府建设的主要安排和具体计划', 24, 27, 3, false],
      ['六、对全县加强法治政府建设的意见建议', 28, 32, 4, false],
      ['七、其他需要报告的重要事项', 33, 34, 0, true],
    ],
  );
  assert.deepEqual(
    report.parts[0]!.children.map((c) => [c.heading, c.line, c.level]),
    [
      ['（一）强化组织领导，完善工作机制', 9, 2],
      [P1_2, 10, 2],
      [P1_3, 11, 2],
      [P1_4, 12, 2],
    ],
  );
  // （1） directly under 三、 is a sub-part, and keeps its space as written.
  assert.deepEqual(
    report.parts[2]!.children.map((c) => [c.number, c.heading, c.line, c.endLine]),
    [
      ['（1）', '（1） 强化组织领导，确保依法治街取得实效', 16, 17],
      ['（2）', '（2） 完善法治宣传机制，营造良好法治环境', 18, 19],
      ['（3）', '（3） 加强监督机制，坚持依法行政', 20, 21],
    ],
  );
  assert.deepEqual(
    report.parts[5]!.children.map((c) => c.heading),
    [
      '（一）提高法治思维的意识和依法行政的能力',
      '（二）坚持依法科学民主决策',
      '（三）强化行政权力监督',
      '（四）引导公民合理维护自身权益',
    ],
  );
  assert.equal(allSections(report).length, 21);
});

test('the 2023 report: measures are 一是/二是 items whole, other text by sentence', async () => {
  const report = await songcun();
  assert.equal(report.measures.length, 39);
  const under = (heading: string) =>
    report.measures.filter((m) => m.path[m.path.length - 1] === heading);
  assert.deepEqual(
    under(P1_3).map((m) => [m.item, m.line, m.text.slice(0, 12)]),
    [
      ['一是', 11, '一是完善一村一法律顾问制'],
      ['二是', 11, '二是定期开展矛盾纠纷排查'],
      ['三是', 11, '三是实行领导接访日制度，'],
    ],
  );
  assert.deepEqual(
    under('（1） 强化组织领导，确保依法治街取得实效').map((m) => [m.item, m.line, m.text]),
    [
      [
        undefined,
        17,
        '成立全面依法治镇委员会，党政主要负责人亲自抓，定期开展依法治镇工作专题研究，统筹推进法治政府建设。',
      ],
      [
        undefined,
        17,
        '认真贯彻实施聘用法律顾问，保证依法治镇创建工作开展所需要的人员、经费和设施，为法治乡镇创建工作顺利开展提供有力保障。',
      ],
    ],
  );
  assert.deepEqual(
    report.measures.filter((m) => m.path.length === 1 && m.path[0]!.startsWith('二、')).length,
    3,
  );
  assert.deepEqual(
    under('四、履行法院生效裁判情况').map((m) => [m.text, m.line]),
    [['无', 23]],
  );
  assert.deepEqual(
    under('七、其他需要报告的重要事项').map((m) => [m.text, m.line]),
    [['无。', 34]],
  );
  assert.ok(report.measures.every((m) => m.year === 2023));
});

test('the 2023 report: every figure verbatim with what was counted, its section and year', async () => {
  const report = await songcun();
  assert.deepEqual(
    report.figures.map((f) => ({
      value: f.value,
      unit: f.unit,
      what: f.what,
      text: f.text,
      section: f.path.join(' > '),
      line: f.line,
      year: f.year,
    })),
    [
      ['12余', '次', '开展法律知识专题学习', '开展法律知识专题学习12余次', P1_2],
      ['43', '次', '执法', '累计执法43次', P1_2],
      ['7', '份', '下达执法文书', '下达执法文书7份', P1_2],
      ['1', '起', '依法处置私挖滥采案件', '依法处置私挖滥采案件1起', P1_2],
      ['23', '起', '环境整治乱堆乱放', '环境整治乱堆乱放23起', P1_2],
      ['3', '起', '防疫粪污处理', '防疫粪污处理3起', P1_2],
      ['13', '起', '护林防火处置', '护林防火处置13起', P1_2],
      ['2', '起', '安全生产执法', '安全生产执法2起', P1_2],
      ['60余', '起', '排查各类矛盾纠纷', '共排查各类矛盾纠纷60余起', P1_3],
      ['3000余', '份', '发放各类宣传材料', '发放各类宣传材料3000余份', P1_4],
    ].map(([value, unit, what, text, sub]) => ({
      value,
      unit,
      what,
      text,
      section: `${P1} > ${sub}`,
      line: sub === P1_2 ? 10 : sub === P1_3 ? 11 : 12,
      year: 2023,
    })),
  );
  // Dates and numbering are not figures: “3.15”, “12.4”, 2024年, （1）.
  assert.ok(!report.figures.some((f) => /3\.15|12\.4|2024/u.test(f.text)));
});

test('figures: the counted phrase without time words, adverbs or the organiser', () => {
  assert.deepEqual(
    extractFigures(
      '一是开展“普法宣传进校园”活动8场。全年提供法律咨询120人次；开展送法下乡，共计5次；组织干部开展学法活动4期，近30人参加。',
    ).map((f) => [f.value, f.unit, f.what, f.text]),
    [
      ['8', '场', '开展“普法宣传进校园”活动', '开展“普法宣传进校园”活动8场'],
      ['120', '人次', '提供法律咨询', '提供法律咨询120人次'],
      ['5', '次', '开展送法下乡', '开展送法下乡，共计5次'],
      ['4', '期', '开展学法活动', '开展学法活动4期'],
      ['近30', '人', '', '近30人'],
    ],
  );
});

test('a fictional town: the outline of another report with the same structure', async () => {
  const report = await shifan();
  assert.equal(report.town, '示范县示范镇');
  assert.equal(report.year, 2024);
  assert.deepEqual(
    report.parts.map((p) => p.children.length),
    [4, 0, 2, 0, 2, 2, 0],
  );
  assert.deepEqual(
    report.parts.filter((p) => p.none).map((p) => p.heading),
    ['四、履行法院生效裁判情况', '七、其他需要报告的重要事项'],
  );
  const texts = report.figures.map((f) => f.text);
  assert.ok(texts.includes('累计执法48次'));
  assert.ok(texts.includes('共排查各类矛盾纠纷75起'));
  assert.ok(texts.includes('发放各类宣传材料3500余份'));
});

test('front matter year and a heading body after ：', () => {
  const report = parseReport(
    {
      source: 'reports/x.txt',
      kind: 'report',
      title: '年度报告',
      year: 2031,
      audience: 'internal',
      text: '某某乡人民政府\n年度报告\n一、主要举措：累计调解纠纷9起。\n二、履行法院生效裁判情况：无',
    },
    5,
  );
  assert.equal(report.town, '某某乡');
  assert.equal(report.year, 2031);
  assert.equal(report.audience, 'internal');
  assert.deepEqual(
    report.parts.map((p) => [p.heading, p.line, p.none]),
    [
      ['一、主要举措', 7, false],
      ['二、履行法院生效裁判情况', 8, true],
    ],
  );
  assert.deepEqual(
    report.figures.map((f) => [f.text, f.what, f.line, f.year]),
    [['累计调解纠纷9起', '调解纠纷', 7, 2031]],
  );
});
