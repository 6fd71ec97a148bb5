import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitLongPassage, splitSentences } from '../../src/ingest/split-passage.ts';
import { parseChineseNumeral, toChineseNumeral } from '../../src/ingest/chinese-numerals.ts';

test('splits sentences after their end marks, never before', () => {
  assert.deepEqual(splitSentences('甲。乙！丙？丁；戊'), ['甲。', '乙！', '丙？', '丁；', '戊']);
});

test('cuts a long passage at sentence ends, repeating one sentence as overlap', () => {
  const pieces = splitLongPassage('一二三四。五六七八。九十百千。', 12);
  assert.deepEqual(pieces, ['一二三四。五六七八。', '五六七八。九十百千。']);
});

test('reads and writes the numerals statutes number articles with', () => {
  assert.equal(parseChineseNumeral('一千零六十四'), 1064);
  assert.equal(parseChineseNumeral('十七'), 17);
  assert.equal(toChineseNumeral(110), '一百一十');
  assert.equal(toChineseNumeral(1001), '一千零一');
  for (let n = 1; n <= 1300; n++) assert.equal(parseChineseNumeral(toChineseNumeral(n)), n);
});
