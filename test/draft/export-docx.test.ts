import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { draftFullReport, reportTitle } from '../../src/draft/draft-offline.ts';
import { exportDocx } from '../../src/draft/export-docx.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The files of a zip, read from its central directory (stored or deflated entries). */
export function unzip(bytes: Uint8Array): Map<string, string> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'no end of central directory: not a zip');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataStart, dataStart + compressed);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** The runs of document.xml as [font, text] pairs. */
function runs(xml: string): [string, string][] {
  return [...xml.matchAll(/<w:r>(.*?)<\/w:r>/gsu)].map((m) => [
    /w:eastAsia="([^"]+)"/u.exec(m[1]!)?.[1] ?? '',
    [...m[1]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/gu)].map((t) => t[1]).join(''),
  ]);
}

test('the .docx opens and follows GB/T 9704: page, margins, fonts, sizes, spacing, page numbers', async () => {
  const notes = readFileSync(`${ROOT}test/fixtures/notes/full-partial.txt`, 'utf8');
  const draft = draftFullReport(notes, () => [], { reportYear: 2024 });
  const bytes = await exportDocx(reportTitle(2024), draft.text);
  assert.ok(bytes instanceof Uint8Array);
  const files = unzip(bytes);
  const doc = files.get('word/document.xml');
  assert.ok(doc, 'word/document.xml');

  assert.match(doc, /<w:pgSz w:w="11906" w:h="16838"/u);
  assert.match(doc, /<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/u);
  for (const font of ['方正小标宋简体', '仿宋_GB2312', '黑体', '楷体_GB2312']) {
    assert.match(doc, new RegExp(`w:eastAsia="${font}"`, 'u'), font);
  }
  assert.match(doc, /<w:sz w:val="44"\/>/u);
  assert.match(doc, /<w:sz w:val="32"\/>/u);
  assert.match(doc, /<w:spacing [^>]*w:line="560" w:lineRule="exact"/u);
  assert.match(doc, /<w:ind w:firstLine="640" w:firstLineChars="200"\/>/u);

  const pairs = runs(doc);
  const fontOf = (text: string) => pairs.find(([, t]) => t === text)?.[0];
  // Title centred in 方正小标宋简体 二号.
  assert.equal(fontOf('关于2024年法治政府建设情况的报告'), '方正小标宋简体');
  assert.match(
    doc,
    /<w:jc w:val="center"\/><\/w:pPr><w:r><w:rPr><w:rFonts[^>]*方正小标宋简体[^>]*\/><w:sz w:val="44"\/>/u,
  );
  // 一级标题 黑体, 二级标题 楷体 up to its 。, the body after it 仿宋.
  assert.equal(fontOf('一、法治政府建设的主要举措和成效'), '黑体');
  assert.equal(fontOf('七、其他需要报告的重要事项'), '黑体');
  assert.equal(fontOf('（一）强化法治宣传，营造良好氛围。'), '楷体_GB2312');
  assert.equal(fontOf('开展普法宣传12场，发放宣传材料1500余份。'), '仿宋_GB2312');
  assert.equal(fontOf('无'), '仿宋_GB2312');
  // 【待补充】 is highlighted.
  assert.match(doc, /<w:highlight w:val="yellow"\/>(?:(?!<\/w:r>).)*【待补充/su);

  const footers = [...files].filter(([name]) => /^word\/footer\d*\.xml$/u.test(name));
  assert.equal(footers.length, 1);
  const footer = footers[0]![1];
  assert.match(footer, /<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/u);
  assert.match(footer, /<w:jc w:val="center"\/>/u);
  assert.match(footer, /— <\/w:t>/u);
});

test('a title repeated as the first line of the draft is not written twice', async () => {
  const title = reportTitle(2024);
  const doc = unzip(await exportDocx(title, `${title}\n二、存在的不足和原因\n一是人手少。`)).get(
    'word/document.xml',
  )!;
  assert.equal(doc.split(title).length - 1, 1);
  assert.ok(doc.includes('一是人手少。'));
});
