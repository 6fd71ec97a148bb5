import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lawChunk } from '../helpers/law-chunk.ts';
import { buildRetriever } from '../../src/retrieve/build-retriever.ts';
import { findRepealedLaws } from '../../src/retrieve/repealed-laws.ts';

const law = (title: string, article: string, text: string) => lawChunk(title, article, text);

const chunks = [
  law(
    '新法典',
    '第九条',
    '本法自2026年8月15日起施行。《中华人民共和国旧合同法》、《中华人民共和国旧物权法》同时废止。',
  ),
  law('新法典', '第一条', '当事人订立合同，可以采用书面形式、口头形式或者其他形式。'),
  law('旧合同法', '第十条', '当事人订立合同，有书面形式、口头形式和其他形式。'),
];

test('reads repeals from commencement articles, only once they are in force', () => {
  assert.deepEqual([...findRepealedLaws(chunks, new Date(2026, 7, 14))], []);
  assert.deepEqual([...findRepealedLaws(chunks, new Date(2026, 7, 15))], ['旧合同法', '旧物权法']);
});

test('ranks the law in force ahead of the law it repealed', async () => {
  const question = '订立合同有书面形式和口头形式吗';
  const before = await buildRetriever({ chunks, today: new Date(2026, 0, 1) });
  const after = await buildRetriever({ chunks, today: new Date(2026, 10, 26) });
  const titles = async (r: typeof before) =>
    (await r.retrievePassages(question, { k: 3 })).map((p) => p.chunk.meta.title);
  assert.equal((await titles(before))[0], '旧合同法');
  assert.equal((await titles(after))[0], '新法典');
});
