import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitStatute } from '../../src/ingest/split-statute.ts';
import type { SourceDocument } from '../../src/ingest/types.ts';

const STATUTE = `<!-- source: test -->
# 中华人民共和国示例法

2020年1月1日 通过

## 第一章 总则

第一条 为了测试，制定本法。

第二条　本法适用于村民。
第一条规定的目的，适用于本章。

### 第一节 细则

第二条之一 村民委员会应当公开。
第三条本条没有空格。

## 第二章 附则

第四条 本法自公布之日起施行。
`;

const doc: SourceDocument = {
  source: 'laws/示例法.md',
  kind: 'law',
  title: '中华人民共和国示例法',
  text: STATUTE,
  audience: 'public',
};

test('splits a statute into one chunk per article with law name, chapter path and lines', () => {
  const chunks = splitStatute(doc);
  assert.deepEqual(
    chunks.map((c) => [c.meta.article, c.meta.section, c.meta.lines, c.text]),
    [
      ['第一条', '第一章 总则', [8, 8], '为了测试，制定本法。'],
      ['第二条', '第一章 总则', [10, 11], '本法适用于村民。\n第一条规定的目的，适用于本章。'],
      ['第二条之一', '第一章 总则 > 第一节 细则', [15, 15], '村民委员会应当公开。'],
      ['第三条', '第一章 总则 > 第一节 细则', [16, 16], '本条没有空格。'],
      ['第四条', '第二章 附则', [20, 20], '本法自公布之日起施行。'],
    ],
  );
  assert.ok(chunks.every((c) => c.meta.title === '示例法' && c.meta.kind === 'law'));
  assert.equal(chunks[0]!.id, 'laws/示例法.md#0');
});

test('recognises unmarked chapter headings of statutes pasted from .docx', () => {
  const plain =
    '中华人民共和国示例法\n第一章　总　则\n第一条　为了测试。\n第二章　附则\n第二条　施行。';
  const chunks = splitStatute({ ...doc, text: plain });
  assert.deepEqual(
    chunks.map((c) => [c.meta.article, c.meta.section]),
    [
      ['第一条', '第一章 总 则'],
      ['第二条', '第二章 附则'],
    ],
  );
});

test('offsets line numbers by where the body starts after front matter', () => {
  const chunks = splitStatute({ ...doc, text: '第一条 甲。' }, 5);
  assert.deepEqual(chunks[0]!.meta.lines, [5, 5]);
});
