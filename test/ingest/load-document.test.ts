import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import iconv from 'iconv-lite';
import { DocumentLoadError } from '../../src/errors.ts';
import { decodeText } from '../../src/ingest/decode-text.ts';
import { loadDocumentText, SUPPORTED_EXTENSIONS } from '../../src/ingest/load-document.ts';

const SENTENCE = 'The mediation committee shall hear both parties.';

const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

/**
 * A one-page PDF; `content` is the page's content stream, if any; `font` is object 4 (/F1)
 * and `extra` objects are numbered from 6.
 */
function buildPdf(content?: string, font = HELVETICA, extra: string[] = []): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >>' +
      (content === undefined ? ' >>' : ' /Contents 5 0 R >>'),
    font,
    `<< /Length ${content?.length ?? 0} >>\nstream\n${content ?? ''}\nendstream`,
    ...extra,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const offset = pdf.length; // ASCII only, so characters = bytes
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf +=
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** A zip with stored (uncompressed) entries; `claimedSize` overrides the directory's size field. */
function buildZip(files: Record<string, string>, claimedSize?: number): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(10, 4);
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(10, 6);
    entry.writeUInt32LE(crc32(data), 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(claimedSize ?? data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    local.push(header, nameBytes, data);
    central.push(entry, nameBytes);
    offset += header.length + nameBytes.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, dir, end]);
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** Asserts a DocumentLoadError for `path` whose reason matches `pattern`. */
async function assertLoadError(promise: Promise<unknown>, path: string, pattern: RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DocumentLoadError, `expected DocumentLoadError, got ${String(err)}`);
    assert.equal(err.path, path);
    assert.match(err.reason, pattern);
    assert.ok(err.message.includes(path));
    return true;
  });
}

describe('loadDocumentText', () => {
  let dir: string;
  const file = async (name: string, bytes: Uint8Array | string) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fazhi-load-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a GBK text file decodes to the exact Chinese text', async () => {
    const path = await file(
      'gbk.txt',
      iconv.encode('第一条 为了规范人民调解活动\r\n第二条', 'gbk'),
    );
    assert.equal(await loadDocumentText(path), '第一条 为了规范人民调解活动\n第二条');
  });

  test('a UTF-8 file with a BOM loses the BOM', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const path = await file('bom.md', Buffer.concat([bom, Buffer.from('# 人民调解法\n正文')]));
    assert.equal(await loadDocumentText(path), '# 人民调解法\n正文');
  });

  test('a UTF-16LE file with a BOM decodes', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('村规民约\r\n', 'utf16le'),
    ]);
    assert.equal(decodeText(bytes), '村规民约\n');
  });

  test('bytes passed in are used instead of reading the file', async () => {
    const bytes = Buffer.from('不存在的文件也能读');
    assert.equal(await loadDocumentText(join(dir, 'missing.txt'), bytes), '不存在的文件也能读');
  });

  test('a .docx made by the docx package yields its Chinese paragraphs', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph('第一条 为了规范人民调解活动，及时解决民间纠纷。'),
            new Paragraph('第二条 本法所称人民调解，是指人民调解委员会通过说服、疏导等方法。'),
          ],
        },
      ],
    });
    const path = await file('law.docx', await Packer.toBuffer(doc));
    const text = await loadDocumentText(path);
    assert.match(text, /第一条 为了规范人民调解活动，及时解决民间纠纷。\n+第二条 本法所称人民调解/);
  });

  test('a .doc that is really a .docx is read by its magic bytes, not its name', async () => {
    const doc = new Document({ sections: [{ children: [new Paragraph('调解协议书')] }] });
    const path = await file('misnamed.doc', await Packer.toBuffer(doc));
    assert.match(await loadDocumentText(path), /调解协议书/);
  });

  test('a PDF with a text layer yields its sentence', async () => {
    const path = await file('text.pdf', buildPdf(`BT /F1 18 Tf 72 700 Td (${SENTENCE}) Tj ET`));
    assert.equal((await loadDocumentText(path)).trim(), SENTENCE);
  });

  test('a PDF page without a content stream is reported as a scanned PDF', async () => {
    const path = await file('empty.pdf', buildPdf());
    await assertLoadError(loadDocumentText(path), path, /扫描.*no text layer|no text layer.*扫描/);
  });

  test('a PDF page that only draws a rectangle is reported as a scanned PDF', async () => {
    const path = await file('rect.pdf', buildPdf('0 0 1 rg 100 100 200 200 re f'));
    await assertLoadError(
      loadDocumentText(path),
      path,
      /scanned PDF with no text layer \(扫描件\)/,
    );
  });

  test('a PDF whose Chinese font cannot be decoded is not mistaken for a scan', async () => {
    // Non-embedded STSong-Light with a predefined CMap, as older Chinese PDF tools write.
    const hex = Buffer.from('调解协议', 'utf16le').swap16().toString('hex');
    const pdf = buildPdf(
      `BT /F1 18 Tf 72 700 Td <${hex}> Tj ET`,
      '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
      [
        '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R >>',
        '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>',
      ],
    );
    const path = await file('cjk.pdf', pdf);
    // If pdfjs-dist (with its CMaps) is ever installed, unpdf decodes this font instead.
    const text = await loadDocumentText(path).catch((err: unknown) => err);
    if (typeof text === 'string') assert.match(text, /调解协议/);
    else {
      assert.ok(text instanceof DocumentLoadError);
      assert.match(text.reason, /draws text but none could be decoded/);
      assert.doesNotMatch(text.reason, /扫描/);
    }
  });

  test('a corrupt PDF is wrapped in a DocumentLoadError with the parser message', async () => {
    const path = await file('broken.pdf', '%PDF-1.4\nthis is not a pdf body');
    await assertLoadError(loadDocumentText(path), path, /corrupt PDF \(.+\)/);
  });

  test('a corrupt .docx is wrapped in a DocumentLoadError naming the path', async () => {
    const path = await file('broken.docx', 'PK\x03\x04 garbage that is not a zip at all');
    await assertLoadError(loadDocumentText(path), path, /corrupt \.docx \(.*zip.*\)/i);
  });

  test('a zip without word/document.xml is reported as not a Word document', async () => {
    const path = await file('notword.docx', buildZip({ 'readme.txt': 'hello' }));
    await assertLoadError(loadDocumentText(path), path, /not a Word document/);
  });

  test('a zip whose entries claim a huge uncompressed size is refused before inflating', async () => {
    const path = await file('bomb.docx', buildZip({ 'word/document.xml': '<x/>' }, 0xfffffff0));
    await assertLoadError(loadDocumentText(path), path, /zip bomb/);
  });

  test('corrupt OLE bytes in a .doc are wrapped in a DocumentLoadError', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const path = await file('broken.doc', Buffer.concat([ole, Buffer.alloc(1024, 0x07)]));
    await assertLoadError(loadDocumentText(path), path, /Word 97-2003\/WPS.*\.docx/);
  });

  test('corrupt OLE bytes in a .wps are wrapped in a DocumentLoadError', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const path = await file('broken.wps', ole);
    await assertLoadError(loadDocumentText(path), path, /Word 97-2003\/WPS/);
  });

  test('random binary in a .txt is refused as not text', async () => {
    const bytes = Buffer.alloc(4096);
    let seed = 42;
    for (let i = 0; i < bytes.length; i++)
      bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const path = await file('random.txt', bytes);
    await assertLoadError(loadDocumentText(path), path, /binary.*UTF-8 \.txt/);
  });

  test('an RTF file named .doc gets a reason saying to re-save it', async () => {
    const path = await file('letter.doc', '{\\rtf1\\ansi hello}');
    await assertLoadError(loadDocumentText(path), path, /RTF.*\.docx/);
  });

  test('a .pdf whose header is not PDF is refused', async () => {
    const path = await file('fake.pdf', '这其实是文本');
    await assertLoadError(loadDocumentText(path), path, /not a valid \.pdf/);
  });

  test('an unsupported extension is refused with the supported list', async () => {
    const path = await file('table.xlsx', 'whatever');
    await assertLoadError(loadDocumentText(path), path, /unsupported file type "\.xlsx".*\.docx/);
    assert.deepEqual(SUPPORTED_EXTENSIONS, ['.md', '.txt', '.docx', '.doc', '.wps', '.pdf']);
  });

  test('a file over the size cap is refused with the limit in the reason', async () => {
    const path = await file('big.txt', 'x'.repeat(2048));
    await assertLoadError(
      loadDocumentText(path, undefined, { maxBytes: 1024 }),
      path,
      /over the .* limit/,
    );
    await assertLoadError(
      loadDocumentText(path, Buffer.alloc(2048, 0x61), { maxBytes: 1024 }),
      path,
      /over the .* limit/,
    );
    assert.equal((await loadDocumentText(path, undefined, { maxBytes: 4096 })).length, 2048);
  });

  test('a missing file is a DocumentLoadError, not a raw fs error', async () => {
    const path = join(dir, 'nowhere.md');
    await assertLoadError(loadDocumentText(path), path, /cannot read file.*ENOENT/);
  });
});
