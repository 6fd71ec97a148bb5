import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { paragraphsByPart } from '../../src/draft/draft-examples.ts';
import { checkDraftNumbers, checkDraftOutline, findFigures } from '../../src/draft/check-draft.ts';
import {
  draftFullReport,
  draftSection,
  splitNotes,
  splitNotesByPart,
} from '../../src/draft/draft-offline.ts';
import { partByNumber, type ReportPart } from '../../src/draft/report-parts.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const notes = (name: string) => readFileSync(`${ROOT}test/fixtures/notes/${name}`, 'utf8');
const report2023 = paragraphsByPart(
  readFileSync(`${ROOT}knowledge/reports/songcun-2023-fazhi-report.txt`, 'utf8'),
);
const examplesFor = (part: ReportPart) => report2023.get(part.number) ?? [];

const SUB_HEADED = /^（[一二三四五六七八九十]+）[^。；]{4,40}。\S+。$/u;

/** Every figure kept, none added, the numbering in order. */
function assertSound(notesText: string, text: string) {
  assert.deepEqual(checkDraftNumbers(notesText, text, []), { missingFromDraft: [], invented: [] });
  assert.deepEqual(checkDraftOutline(text), []);
}

test('the 2023 report is read into its seven parts', () => {
  assert.deepEqual([...report2023.keys()], [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(report2023.get(1)!.length, 4);
  assert.deepEqual(report2023.get(4), ['无']);
});

test('notes are split at lines, bullets and semicolons', () => {
  assert.deepEqual(splitNotes(notes('measures-ascii.txt')), [
    '法治讲座6期',
    '宣传资料3000余份',
    '矛盾纠纷排查60余起，化解率98.5%',
  ]);
});

test('主要举措: grouped under the headings the town used for the same measures, every figure kept', () => {
  const text = notes('measures.txt');
  const draft = draftSection(partByNumber(1), text, examplesFor(partByNumber(1)));
  const lines = draft.text.split('\n');
  assert.equal(lines[0], '一、法治政府建设的主要举措和成效');
  for (const line of lines.slice(1)) assert.match(line, SUB_HEADED);
  // 2023's headings for the same kinds of measure.
  assert.match(
    draft.text,
    /^（一）强化法治宣传，优化法治政府建设环境。一是全年开展普法宣传15场，发放资料2000余份；二是/mu,
  );
  assert.match(
    draft.text,
    /^（二）强化依法治理，化解矛盾纠纷。一是调解纠纷38起，成功率95%；二是网格员排查矛盾纠纷70余起。$/mu,
  );
  assert.match(draft.text, /^（三）强化依法执政，提升法治意识。组织机关干部集中学法10次/mu);
  assert.match(draft.text, /开展执法检查26次，查处私挖滥采2起，下达执法文书5份。/u);
  assert.deepEqual(draft.missing, []);
  assertSound(text, draft.text);
  // Each figure of the notes appears exactly as written.
  for (const figure of findFigures(text)) assert.ok(draft.text.includes(figure.text), figure.text);
});

test('主要举措 without past reports: generic headings in the same style', () => {
  const text = notes('measures-ascii.txt');
  const draft = draftSection(partByNumber(1), text, []);
  assert.equal(
    draft.text,
    [
      '一、法治政府建设的主要举措和成效',
      '（一）强化学法用法，提升依法行政能力。开展法治讲座6期。',
      '（二）强化法治宣传，营造良好氛围。发放宣传资料3000余份。',
      '（三）强化依法治理，化解矛盾纠纷。矛盾纠纷排查60余起，化解率98.5%。',
    ].join('\n'),
  );
  assertSound(text, draft.text);
});

test('存在的不足: bare 一是…；二是… under the part, the missing reasons flagged', () => {
  const text = notes('shortcomings.txt');
  const draft = draftSection(partByNumber(2), text, examplesFor(partByNumber(2)));
  assert.equal(
    draft.text,
    [
      '二、存在的不足和原因',
      '一是群众法律意识还不强，学法氛围不浓；二是执法队伍专业人员少，业务能力有待提升；三是部分村调解员年龄偏大。',
      '【待补充：不足的原因】',
    ].join('\n'),
  );
  assert.deepEqual(draft.missing, ['二、存在的不足和原因：不足的原因（笔记只写了不足）']);
  assertSound(text, draft.text);
});

test('第一责任人: （1） headings on their own line, as in the 2023 report', () => {
  const text = notes('responsibility.txt');
  const draft = draftSection(partByNumber(3), text, examplesFor(partByNumber(3)));
  const lines = draft.text.split('\n');
  assert.match(lines[0]!, /^三、党政主要负责人履行推进法治建设第一责任人职责/u);
  assert.match(lines[1]!, /^（1）[^。]{4,30}$/u);
  assert.match(lines[2]!, /^(?:一是|\S)/u);
  assert.ok(lines.length >= 3);
  assertSound(text, draft.text);
});

test('履行法院生效裁判情况: 无 only when the notes say so', () => {
  const part = partByNumber(4);
  assert.equal(draftSection(part, '无').text, '四、履行法院生效裁判情况\n无');
  const empty = draftSection(part, '');
  assert.equal(
    empty.text,
    '四、履行法院生效裁判情况\n【待补充：本年度有无需履行的法院生效裁判，如无请写“无”】',
  );
  assert.deepEqual(empty.missing, [
    '四、履行法院生效裁判情况：本年度有无需履行的法院生效裁判，如无请写“无”',
  ]);
  const some = draftSection(part, '行政诉讼案件1件，已按判决履行');
  assert.equal(some.text, '四、履行法院生效裁判情况\n行政诉讼案件1件，已按判决履行。');
});

test('主要安排: the plan year is the year after the report; without it the year is asked for', () => {
  const part = partByNumber(5);
  const draft = draftSection(
    part,
    '- 开展“法律明白人”培训\n- 推进信访矛盾源头化解',
    examplesFor(part),
    {
      reportYear: 2024,
    },
  );
  assert.match(draft.text, /^五、2025年推进法治政府建设的主要安排和具体计划\n（一）/u);
  assertSound('', draft.text);
  const noYear = draftSection(part, '开展培训');
  assert.match(noYear.text, /^五、【待补充：年份】年推进/u);
  assert.deepEqual(noYear.missing, ['五、下一年主要安排和具体计划：计划的年份']);
});

test('全文: parts split at their markers, the parts without notes listed exactly', () => {
  const text = notes('full-partial.txt');
  const split = splitNotesByPart(text);
  assert.deepEqual([...split.byPart.keys()], [1, 2, 4, 5]);
  assert.deepEqual(split.unassigned, []);

  const full = draftFullReport(text, examplesFor, { reportYear: 2024 });
  assert.deepEqual(
    full.missingParts.map((p) => p.numeral),
    ['三', '六', '七'],
  );
  const headings = full.text.split('\n').filter((l) => /^[一二三四五六七]、/u.test(l));
  assert.deepEqual(
    headings.map((h) => h[0]),
    ['一', '二', '三', '四', '五', '六', '七'],
  );
  assert.match(full.text, /\n四、履行法院生效裁判情况\n无\n/u);
  assert.match(full.text, /\n六、对全县加强法治政府建设的意见建议\n【待补充：/u);
  assertSound(text, full.text);
  // A numbered note ("一、普法12场") is a note, not a part marker.
  const numbered = splitNotesByPart('一、\n一、普法宣传12场\n二、调解纠纷21起\n二、不足\n人手少');
  assert.deepEqual(Object.fromEntries(numbered.byPart), {
    1: '一、普法宣传12场\n二、调解纠纷21起\n',
    2: '人手少\n',
  });
});

test('notes before any part marker are reported, not drafted', () => {
  const full = draftFullReport('普法宣传12场\n【存在的不足】\n人手少', () => []);
  assert.deepEqual(full.unassigned, ['普法宣传12场']);
  assert.ok(full.missing.some((m) => m.includes('1行笔记没有标明')));
  assert.deepEqual(
    full.missingParts.map((p) => p.numeral),
    ['一', '三', '四', '五', '六', '七'],
  );
});
