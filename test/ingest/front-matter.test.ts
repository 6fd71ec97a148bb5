import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFrontMatter } from '../../src/ingest/front-matter.ts';

describe('parseFrontMatter', () => {
  test('text without front matter is returned whole, starting at line 1', () => {
    const text = '# 人民调解法\n第一条 为了规范人民调解活动';
    assert.deepEqual(parseFrontMatter(text), { fields: {}, body: text, bodyStartLine: 1 });
  });

  test('all known keys are parsed and the body starts after the closing line', () => {
    const text = [
      '---',
      'title: 宋村2023年法治建设工作报告',
      'year: 2023',
      'audience: internal',
      'effective: 2023-12-01',
      '---',
      '一、基本情况',
      '全年调解纠纷12起。',
    ].join('\n');
    const { fields, body, bodyStartLine } = parseFrontMatter(text);
    assert.deepEqual(fields, {
      title: '宋村2023年法治建设工作报告',
      year: 2023,
      audience: 'internal',
      effectiveDate: '2023-12-01',
    });
    assert.equal(body, '一、基本情况\n全年调解纠纷12起。');
    assert.equal(bodyStartLine, 7);
    assert.equal(text.split('\n')[bodyStartLine - 1], '一、基本情况');
  });

  test('effective_date is accepted as a synonym and quotes are stripped', () => {
    const { fields } = parseFrontMatter(
      '---\neffective_date: "2021-01-01"\ntitle: \'民法典\'\n---\n',
    );
    assert.deepEqual(fields, { effectiveDate: '2021-01-01', title: '民法典' });
  });

  test('blank lines and comments inside the block are skipped and still counted as lines', () => {
    const text = '---\n# 元数据\n\naudience: public\n---\n\n正文';
    const { fields, body, bodyStartLine } = parseFrontMatter(text);
    assert.deepEqual(fields, { audience: 'public' });
    assert.equal(body, '\n正文');
    assert.equal(bodyStartLine, 6);
  });

  test('CRLF line endings are understood and the body keeps its original characters', () => {
    const { fields, body, bodyStartLine } = parseFrontMatter(
      '---\r\nyear: 2020\r\n---\r\n正文\r\n',
    );
    assert.deepEqual(fields, { year: 2020 });
    assert.equal(body, '正文\r\n');
    assert.equal(bodyStartLine, 4);
  });

  test('a block that ends the file leaves an empty body', () => {
    assert.deepEqual(parseFrontMatter('---\ntitle: 空\n---'), {
      fields: { title: '空' },
      body: '',
      bodyStartLine: 4,
    });
  });

  test('a --- that is not on the first line is not front matter', () => {
    const text = '正文\n---\ntitle: x\n---';
    assert.deepEqual(parseFrontMatter(text), { fields: {}, body: text, bodyStartLine: 1 });
  });

  test('an invalid audience names the key and the allowed values', () => {
    assert.throws(
      () => parseFrontMatter('---\naudience: 内部\n---\n'),
      /audience.*"public" or "internal"/,
    );
  });

  test('an invalid year names the key and the expected form', () => {
    assert.throws(
      () => parseFrontMatter('---\nyear: 二〇二三\n---\n'),
      /year must be a four-digit year/,
    );
    assert.throws(() => parseFrontMatter('---\nyear: 23\n---\n'), /year/);
  });

  test('a misspelt key is refused rather than silently ignored', () => {
    assert.throws(
      () => parseFrontMatter('---\naudiance: internal\n---\n'),
      /"audiance".*allowed: title, year, audience, effective, effective_date/,
    );
  });

  test('a line that is not key: value is refused with its line number', () => {
    assert.throws(() => parseFrontMatter('---\ntitle: ok\njust text\n---\n'), /line 3/);
  });

  test('an unclosed block is refused', () => {
    assert.throws(() => parseFrontMatter('---\ntitle: 未闭合\n正文'), /never closed/);
  });

  test('a key given twice is refused', () => {
    assert.throws(
      () => parseFrontMatter('---\neffective: 2020-01-01\neffective_date: 2021-01-01\n---\n'),
      /appears twice/,
    );
  });
});
