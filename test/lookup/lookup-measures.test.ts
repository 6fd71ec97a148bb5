import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lookupMeasures, parseQuestion } from '../../src/lookup/lookup-measures.ts';
import { parseReport, type ReportOutline } from '../../src/lookup/parse-report.ts';
import { shifan, songcun } from './helpers.ts';

const TODAY = new Date('2024-03-01T08:00:00');
const P1 = '一、法治政府建设的主要举措和成效';
const ENFORCEMENT = `${P1} > （二）强化依法执政，提升法治意识`;
const DISPUTES = `${P1} > （三）强化依法治理，化解矛盾纠纷`;

const one = async () => [await songcun()];
const two = async () => [await songcun(), await shifan()];
const ask = (q: string, reports: ReportOutline[], today = TODAY) =>
  lookupMeasures(q, reports, { today });

test('years: 去年/前年/今年 against the clock, explicit years, 历年, 近两年', async () => {
  const reports = await one();
  const scope = (q: string) => parseQuestion(q, reports, TODAY).scope;
  assert.deepEqual(scope('去年护林防火处置了多少起'), { kind: 'years', years: [2023] });
  assert.deepEqual(scope('上一年执法多少次'), { kind: 'years', years: [2023] });
  assert.deepEqual(scope('前年执法多少次'), { kind: 'years', years: [2022] });
  assert.deepEqual(scope('今年执法多少次'), { kind: 'years', years: [2024] });
  assert.deepEqual(scope('2022年和2023年执法多少次'), { kind: 'years', years: [2023, 2022] });
  assert.deepEqual(scope('查 矛盾纠纷 2023'), { kind: 'years', years: [2023] });
  assert.deepEqual(scope('二〇二三年执法多少次'), { kind: 'years', years: [2023] });
  assert.deepEqual(scope('历年普法措施'), { kind: 'all' });
  assert.deepEqual(scope('查 矛盾纠纷'), { kind: 'all' });
  assert.deepEqual(scope('近两年执法多少次'), { kind: 'recent', count: 2, to: 2024 });
  const q = parseQuestion('2023年执法了多少次', reports, TODAY);
  assert.equal(q.wantsNumber, true);
  assert.deepEqual(
    q.facets.map((f) => [f.number, f.unit]),
    [[true, '次']],
  );
  assert.deepEqual(
    q.facets.map((f) => f.terms.map((t) => t.text)),
    [['执法']],
  );
  assert.deepEqual(
    parseQuestion('护林防火和安全生产执法各处置了多少起', reports, TODAY).facets.map((f) =>
      f.terms.map((t) => t.text),
    ),
    [['护林防火'], ['安全生产执法', '处置']],
  );
});

test('a figure asked for: verbatim, with the year and section cited', async () => {
  const reply = ask('2023年执法了多少次', await one());
  assert.equal(reply.found, true);
  assert.equal(
    reply.text,
    [
      '【2023年 沁县松村镇】',
      '「2023年报告 一、法治政府建设的主要举措和成效 > （二）强化依法执政，提升法治意识」',
      '· 累计执法43次',
    ].join('\n'),
  );
  assert.deepEqual(reply.citations, [
    {
      source: 'reports/songcun-2023-fazhi-report.txt',
      kind: 'report',
      title: '关于2023年法治政府建设情况的报告',
      year: 2023,
      section: ENFORCEMENT,
      lines: [10, 10],
    },
  ]);
});

test('去年 is 2023 when today is 2024-03-01, and 2024 a year later', async () => {
  const reports = await one();
  const lastYear = ask('去年护林防火处置了多少起', reports);
  assert.equal(lastYear.found, true);
  assert.match(lastYear.text, /护林防火处置13起/u);
  assert.doesNotMatch(lastYear.text, /安全生产执法|私挖滥采/u);

  const aYearLater = ask('去年护林防火处置了多少起', reports, new Date('2025-03-01T08:00:00'));
  assert.equal(aYearLater.found, false);
  assert.match(aYearLater.text, /没有找到二〇二四年的报告/u);
  assert.doesNotMatch(aYearLater.text, /[0-9]/u);
});

test('查 矛盾纠纷: measures and the figure in them, each under its section', async () => {
  const reply = ask('查 矛盾纠纷', await one());
  assert.equal(reply.found, true);
  assert.ok(reply.text.startsWith('【2023年 沁县松村镇】\n'));
  assert.ok(
    reply.text.includes(
      '「2023年报告 一、法治政府建设的主要举措和成效 > （三）强化依法治理，化解矛盾纠纷」\n· 二是定期开展矛盾纠纷排查调处工作',
    ),
  );
  assert.ok(reply.text.includes('共排查各类矛盾纠纷60余起'));
  assert.ok(reply.citations.some((c) => c.section === DISPUTES && c.lines?.[0] === 11));
  assert.ok(reply.citations.every((c) => c.kind === 'report' && c.year === 2023));
});

test('questions about measures, sections and parts of the 2023 report', async () => {
  const reports = await one();
  const cases: [string, string[], string[]][] = [
    [
      '一村一法律顾问是怎么做的',
      ['一村一法律顾问', '以案释法、以法促调、以调促宣', '乡村两级法律顾问工作体系'],
      [],
    ],
    ['护林防火和安全生产执法各处置了多少起', ['护林防火处置13起', '安全生产执法2起'], ['私挖滥采']],
    [
      '党政主要负责人在组织领导上具体做了啥',
      [
        '「2023年报告 三、党政主要负责人履行推进法治建设第一责任人职责… > （1） 强化组织领导，确保依法治街取得实效」',
        '全面依法治镇委员会',
        '聘用法律顾问',
      ],
      [],
    ],
    [
      '报告给全县提了哪几条建议',
      [
        '「2023年报告 六、对全县加强法治政府建设的意见建议」共4条：\n（一）提高法治思维的意识和依法行政的能力。',
        '\n（二）坚持依法科学民主决策。',
        '\n（三）强化行政权力监督。',
        '\n（四）引导公民合理维护自身权益。',
        '政府法律顾问全覆盖',
      ],
      [],
    ],
    [
      '法院生效裁判履行情况和其他重要事项这两部分分别写的啥',
      [
        '「2023年报告 四、履行法院生效裁判情况」：无\n',
        '「2023年报告 七、其他需要报告的重要事项」：无。',
      ],
      [],
    ],
    [
      '对全县的第一条建议是什么',
      ['（一）提高法治思维的意识和依法行政的能力」', '政府法律顾问全覆盖'],
      ['依法科学民主决策'],
    ],
    ['存在哪些不足', ['薄弱环节', '专业人才较少', '制度机制还有待完善'], []],
    [
      '报告说法治宣传教育有薄弱环节，那明年普法准备咋改进',
      [
        '薄弱环节',
        '「2023年报告 五、2024年推进法治政府建设的主要安排和具体计划 > （二）加大法治宣传，营造“全方位”普法氛围」',
        '“八五”普法',
      ],
      [],
    ],
    [
      '报告一共几部分',
      ['共7部分', '四、履行法院生效裁判情况：无', '七、其他需要报告的重要事项：无'],
      [],
    ],
  ];
  for (const [question, expected, absent] of cases) {
    const reply = ask(question, reports);
    assert.equal(reply.found, true, question);
    for (const s of expected) assert.ok(reply.text.includes(s), `${question}: ${s}\n${reply.text}`);
    for (const s of absent)
      assert.ok(!reply.text.includes(s), `${question}: not ${s}\n${reply.text}`);
    assert.ok(reply.text.length <= 900, question);
    assert.ok(reply.citations.length > 0, question);
  }
});

test('2024年的安排 before a 2024 report exists: the 2023 report’s plan for 2024', async () => {
  const reply = ask('2024年的多元化解纷体系怎么构建', await one());
  assert.equal(reply.found, true);
  assert.ok(
    reply.text.startsWith(
      '没有找到二〇二四年的报告（现有：二〇二三年）。\n以下是二〇二三年报告中对下一年的安排：',
    ),
  );
  assert.ok(reply.text.includes('行政调解、信访调解、人民调解、司法调解'));
  // A number for a year with no report is never taken from the plan.
  const number = ask('2024年执法多少次', await one());
  assert.equal(number.found, false);
  assert.doesNotMatch(number.text, /[0-9]/u);
});

test('unanswerable questions say so and show no figure', async () => {
  const reports = await one();
  for (const question of [
    '2023年查处了多少起酒驾',
    '2022年执法了多少次',
    '前年执法多少次',
    '今年执法多少次',
    '法律援助案件办了多少件',
    '扫黑除恶专项斗争是怎么开展的',
    '法治宣传经费投入了多少钱',
    '2023年禁毒宣传搞了几场',
    '2023年信访案件办结率是多少',
  ]) {
    const reply = ask(question, reports);
    assert.equal(reply.found, false, `${question}\n${reply.text}`);
    assert.match(reply.text, /没有找到|报告中没有/u, question);
    assert.doesNotMatch(reply.text, /[0-9０-９]/u, `${question}\n${reply.text}`);
    assert.deepEqual(reply.citations, []);
  }
  assert.equal(
    ask('2023年查处了多少起酒驾', reports).text,
    '二〇二三年报告中没有找到“查处酒驾”的具体数字。',
  );
  assert.equal(
    ask('2022年执法了多少次', reports).text,
    '没有找到二〇二二年的报告，报告中没有这方面的信息。现有报告：二〇二三年。',
  );
  assert.equal(lookupMeasures('执法多少次', [], { today: TODAY }).found, false);
});

test('two years: grouped newest first, figures compared only when both are exact', async () => {
  const reports = await two();
  const reply = ask('执法了多少次', reports);
  assert.equal(
    reply.text,
    [
      '【2024年 示范县示范镇】',
      '「2024年报告 一、法治政府建设的主要举措和成效 > （二）强化依法执政，提升法治意识」',
      '· 累计执法48次',
      '【2023年 沁县松村镇】',
      '「2023年报告 一、法治政府建设的主要举措和成效 > （二）强化依法执政，提升法治意识」',
      '· 累计执法43次',
      '比较：执法2024年比2023年多5次。',
    ].join('\n'),
  );
  assert.deepEqual(
    reply.citations.map((c) => [c.source, c.year, c.section, c.lines]),
    [
      ['reports/示范镇-2024.txt', 2024, ENFORCEMENT, [10, 10]],
      ['reports/songcun-2023-fazhi-report.txt', 2023, ENFORCEMENT, [10, 10]],
    ],
  );

  const both = ask('护林防火和安全生产执法各处置了多少起', reports).text;
  assert.ok(both.includes('比较：护林防火处置2024年比2023年少3起。'));
  assert.ok(both.includes('比较：安全生产执法2024年比2023年多3起。'));

  // 60余 is not exact: both are listed, nothing is subtracted.
  const disputes = ask('矛盾纠纷排查了多少起', reports).text;
  assert.ok(disputes.includes('共排查各类矛盾纠纷75起'));
  assert.ok(disputes.includes('共排查各类矛盾纠纷60余起'));
  assert.ok(disputes.indexOf('75起') < disputes.indexOf('60余起'));
  assert.doesNotMatch(disputes, /比较/u);

  assert.match(ask('今年执法多少次', reports).text, /累计执法48次/u);
  assert.doesNotMatch(ask('今年执法多少次', reports).text, /43次/u);
  assert.match(ask('去年执法多少次', reports).text, /累计执法43次/u);
  assert.doesNotMatch(ask('去年执法多少次', reports).text, /48次/u);
  assert.match(ask('示范镇执法多少次', reports).text, /累计执法48次/u);
  assert.doesNotMatch(ask('松村镇执法多少次', reports).text, /48次/u);

  const yearly = ask('历年普法措施', reports);
  assert.ok(
    yearly.text.indexOf('【2024年 示范县示范镇】') < yearly.text.indexOf('【2023年 沁县松村镇】'),
  );
  assert.ok(yearly.text.includes('“普法宣传进校园”'));
  assert.ok(yearly.text.includes('“普法宣传进学校”'));
  assert.ok(yearly.text.length <= 900);

  const missing = ask('前年执法多少次', reports);
  assert.equal(missing.found, false);
  assert.doesNotMatch(missing.text, /[0-9]/u);
});

test('a long answer stays within the budget', async () => {
  const reports = await two();
  for (const question of ['第一部分写了什么', '查 法治', '历年普法措施', '2023年有哪些数据']) {
    const reply = ask(question, reports);
    assert.equal(reply.found, true, question);
    assert.ok(reply.text.length <= 900, `${question}: ${reply.text.length}`);
  }
  const short = lookupMeasures('第一部分写了什么', reports, { today: TODAY, maxChars: 300 });
  assert.ok(short.text.length <= 300);
  assert.match(short.text, /未全部列出/u);
});

test('three years: each year compared with the one before; equal figures are 持平', () => {
  const report = (year: number, text: string): ReportOutline =>
    parseReport({
      source: `reports/${year}.txt`,
      kind: 'report',
      title: `关于${year}年法治政府建设情况的报告`,
      audience: 'public',
      text: `测试镇人民政府\n关于${year}年法治政府建设情况的报告\n一、主要举措和成效\n（一）严格执法。${text}\n`,
    });
  const reports = [
    report(2021, '累计执法40次，发放宣传材料900份。'),
    report(2022, '累计执法43次，发放宣传材料1000余份。'),
    report(2023, '累计执法43次，发放宣传材料1200份。'),
  ];
  const executions = ask('执法多少次', reports).text;
  assert.ok(executions.includes('比较：执法2023年与2022年持平（均为43次）。'));
  assert.ok(executions.includes('比较：执法2022年比2021年多3次。'));
  assert.ok(!executions.includes('2023年比2021年'));
  const leaflets = ask('宣传材料发了多少份', reports).text;
  // 1000余 is not exact: no subtraction across it.
  assert.doesNotMatch(leaflets, /比较/u);
  assert.match(leaflets, /1200份[\s\S]*1000余份[\s\S]*900份/u);
});

test('a town with no report, and a part asked by its number', async () => {
  const reports = await one();
  const other = ask('郭村镇去年执法多少次', reports);
  assert.equal(other.found, false);
  assert.equal(other.text, '没有找到郭村镇的报告，报告中没有这方面的信息。现有报告：沁县松村镇。');
  assert.equal(ask('全面依法治镇委员会是谁牵头的', reports).found, true);
  const third = ask('第三部分写了什么', reports).text;
  assert.ok(
    third.startsWith(
      '【2023年 沁县松村镇】\n「2023年报告 三、党政主要负责人履行推进法治建设第一责任人职责，落实年度责任清单，加强法治政府建设相关情况」共3条：\n（1） 强化组织领导',
    ),
  );
});
