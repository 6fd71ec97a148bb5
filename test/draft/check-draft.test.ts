import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDraftNumbers, checkDraftOutline, findFigures } from '../../src/draft/check-draft.ts';

test('figures are read with 余/多, magnitudes, percentages and units', () => {
  assert.deepEqual(
    findFigures('发放资料2000余份，调解成功率95%，投入1.5万元，排查60多起，“12.4”宪法日').map(
      (f) => [f.text, f.value],
    ),
    [
      ['2000余份', '2000'],
      ['95%', '95%'],
      ['1.5万元', '1.5万'],
      ['60多起', '60'],
      ['12.4', '12.4'],
    ],
  );
});

test('every figure of the notes must be in the draft as written', () => {
  const notes = '全年开展普法宣传15场，发放资料2000余份；调解纠纷38起，成功率95%';
  const good =
    '（一）强化法治宣传。全年开展普法宣传15场，发放宣传资料2000余份；调解纠纷38起，成功率95%。';
  assert.deepEqual(checkDraftNumbers(notes, good, []), { missingFromDraft: [], invented: [] });

  const dropped = '全年开展普法宣传15场，发放资料2000份；调解纠纷38起。';
  assert.deepEqual(checkDraftNumbers(notes, dropped, []).missingFromDraft, ['2000余份', '95%']);
  // "5场" is not found inside "15场".
  assert.deepEqual(checkDraftNumbers('培训5场', '培训15场').missingFromDraft, ['5场']);
});

test('a number in neither the notes nor the sources is invented; outline numbers are not figures', () => {
  const notes = '调解纠纷38起';
  const draft =
    '五、2025年推进法治政府建设的主要安排和具体计划\n（1）强化调解\n一是调解纠纷38起，惠及群众300余人；二是2023年累计执法43次。';
  assert.deepEqual(checkDraftNumbers(notes, draft, []).invented, ['300余人', '2023年', '43次']);
  assert.deepEqual(
    checkDraftNumbers(notes, draft, ['2023年，累计执法43次', '服务群众300人']).invented,
    [],
  );
});

test('the outline check wants （一）（二）… and 一是、二是… in order', () => {
  assert.deepEqual(
    checkDraftOutline(
      '一、主要举措\n（一）甲。一是甲；二是乙。\n（二）乙。丙。\n二、存在的不足\n一是甲；二是乙。',
    ),
    [],
  );
  assert.equal(checkDraftOutline('一、主要举措\n（一）甲。一是甲；三是乙。').length, 1);
  assert.equal(checkDraftOutline('一、主要举措\n（一）甲。\n（三）乙。').length, 1);
  assert.equal(checkDraftOutline('三、责任\n（1）甲\n（3）乙').length, 1);
});
