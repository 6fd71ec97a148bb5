import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { createInflateRaw } from 'node:zlib';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { DocumentLoadError } from '../errors.ts';
import { decodeText } from './decode-text.ts';

export const SUPPORTED_EXTENSIONS = ['.md', '.txt', '.docx', '.doc', '.wps', '.pdf'];

export interface LoadOptions {
  /** Refuse files larger than this (default 50 MB); zip contents may total 10× this. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const ZIP_EXPANSION_LIMIT = 10;

// word-extractor ships no types; this is the slice we use.
interface WordExtractorCtor {
  new (): { extract(source: Buffer): Promise<{ getBody(): string }> };
}
const WordExtractor = createRequire(import.meta.url)('word-extractor') as WordExtractorCtor;

/**
 * Plain text of one knowledge file. The format is sniffed from magic bytes, because files
 * from township offices are often misnamed (a .doc that is really .docx, a WPS .wps that is OLE).
 * Every failure is a DocumentLoadError whose reason says how to fix the file.
 */
export async function loadDocumentText(
  path: string,
  bytes?: Uint8Array,
  options: LoadOptions = {},
): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const ext = extname(path).toLowerCase();
  function fail(reason: string): never {
    throw new DocumentLoadError(path, reason);
  }

  if (ext !== '' && !SUPPORTED_EXTENSIONS.includes(ext)) {
    fail(`unsupported file type "${ext}": convert it to one of ${SUPPORTED_EXTENSIONS.join(', ')}`);
  }
  const tooBig = (size: number) =>
    `file is ${mb(size)}, over the ${mb(maxBytes)} limit: split it or raise maxBytes`;
  if (!bytes) {
    try {
      const { size } = await stat(path);
      if (size > maxBytes) fail(tooBig(size));
      bytes = await readFile(path);
    } catch (err) {
      if (err instanceof DocumentLoadError) throw err;
      fail(`cannot read file (${message(err)})`);
    }
  }
  if (bytes.length > maxBytes) fail(tooBig(bytes.length));
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  if (startsWith(buffer, [0x50, 0x4b, 0x03, 0x04])) {
    const limit = maxBytes * ZIP_EXPANSION_LIMIT;
    const unzipped = zipUncompressedSize(buffer);
    if (unzipped > limit) {
      fail(`zip content would expand to ${mb(unzipped)}; refusing (possible zip bomb)`);
    }
    // The directory's sizes can lie, and the unzipper only notices after inflating everything.
    if ((await zipInflatedSize(buffer, limit)) > limit) {
      fail(`zip content expands to more than ${mb(limit)}; refusing (possible zip bomb)`);
    }
    const result = await mammoth
      .extractRawText({ buffer })
      .catch((err: unknown) =>
        fail(
          /main document part/i.test(message(err))
            ? `zip file is not a Word document (no word/document.xml): save it as .docx from Word/WPS`
            : `corrupt .docx (${message(err)}): open and re-save it in Word/WPS, or export to .txt`,
        ),
      );
    return normalise(result.value);
  }

  if (startsWith(buffer, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    const doc = await new WordExtractor()
      .extract(buffer)
      .catch((err: unknown) =>
        fail(
          `cannot read Word 97-2003/WPS file (${message(err)}): re-save it as .docx or export to .txt`,
        ),
      );
    return normalise(doc.getBody());
  }

  if (startsWith(buffer, [0x25, 0x50, 0x44, 0x46])) return pdfText(buffer, fail);

  if (startsWith(buffer, [0x7b, 0x5c, 0x72, 0x74, 0x66])) {
    fail('file is RTF (often saved with a .doc name): re-save it as .docx or export to .txt');
  }
  if (ext !== '' && ext !== '.md' && ext !== '.txt') {
    fail(
      `not a valid ${ext} file (unrecognised header): re-save it as .docx/.pdf or export to .txt`,
    );
  }

  const text = decodeText(buffer);
  if (looksBinary(text)) {
    fail('file is binary, not text: export it as UTF-8 .txt or use .docx/.pdf');
  }
  return text;
}

async function pdfText(data: Buffer, fail: (reason: string) => never): Promise<string> {
  let text = '';
  let drawsText = false;
  try {
    // pdf.js may transfer (detach) the array it is given, so hand it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(data), { verbosity: 0 });
    try {
      text = (await extractText(pdf, { mergePages: true })).text;
      if (text.trim() === '') drawsText = await showsText(pdf);
    } finally {
      await pdf.destroy();
    }
  } catch (err) {
    const msg = message(err);
    fail(
      /password/i.test(msg)
        ? `password-protected PDF (${msg}): remove the password and save again`
        : `corrupt PDF (${msg}): re-export it or supply a .txt version`,
    );
  }
  if (drawsText) {
    // Typically a non-embedded Chinese font (e.g. STSong-Light + UniGB-UCS2-H): decoding it needs
    // pdf.js CMap files, which unpdf only finds when pdfjs-dist is installed.
    fail(
      'PDF draws text but none could be decoded (CJK font without embedded mapping): ' +
        'save it again as PDF from Word/WPS, or supply a .docx/.txt version',
    );
  }
  if (text.trim() === '') {
    fail('scanned PDF with no text layer (扫描件): OCR it or supply a text version');
  }
  return normalise(text);
}

/** Whether the first pages contain text-drawing operators (so the PDF is not a scan). */
async function showsText(pdf: Awaited<ReturnType<typeof getDocumentProxy>>): Promise<boolean> {
  const { OPS } = await getResolvedPDFJS();
  const ops = new Set<number>([
    OPS.showText,
    OPS.showSpacedText,
    OPS.nextLineShowText,
    OPS.nextLineSetSpacingShowText,
  ]);
  // Operator lists decode images, so look at a few pages only: scans are uniform.
  for (let n = 1; n <= Math.min(pdf.numPages, 3); n++) {
    const list = await (await pdf.getPage(n)).getOperatorList();
    if (list.fnArray.some((fn) => ops.has(fn))) return true;
  }
  return false;
}

interface ZipEntry {
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** The zip central directory's entries; undefined when there is none (mammoth reports that). */
function zipEntries(buf: Buffer): ZipEntry[] | undefined {
  // End-of-central-directory record: within the last 22 + 65535 (comment) bytes.
  for (let eocd = buf.length - 22; eocd >= Math.max(0, buf.length - 22 - 0xffff); eocd--) {
    if (buf.readUInt32LE(eocd) !== 0x06054b50) continue;
    const entries = buf.readUInt16LE(eocd + 10);
    let pos = buf.readUInt32LE(eocd + 16);
    // zip64 (over 65535 entries or 4 GB): too big for a document anyway.
    if (entries === 0xffff || pos === 0xffffffff) {
      return [{ method: 0, compressedSize: 0, uncompressedSize: Infinity, localOffset: 0 }];
    }
    const found: ZipEntry[] = [];
    for (let i = 0; i < entries && pos + 46 <= buf.length; i++) {
      if (buf.readUInt32LE(pos) !== 0x02014b50) break;
      const size = buf.readUInt32LE(pos + 24);
      found.push({
        method: buf.readUInt16LE(pos + 10),
        compressedSize: buf.readUInt32LE(pos + 20),
        uncompressedSize: size === 0xffffffff ? Infinity : size,
        localOffset: buf.readUInt32LE(pos + 42),
      });
      pos +=
        46 + buf.readUInt16LE(pos + 28) + buf.readUInt16LE(pos + 30) + buf.readUInt16LE(pos + 32);
    }
    return found;
  }
  return undefined;
}

/** Sum of uncompressed sizes in the zip central directory: cheap zip-bomb check before inflating. */
function zipUncompressedSize(buf: Buffer): number {
  return (zipEntries(buf) ?? []).reduce((total, e) => total + e.uncompressedSize, 0);
}

/**
 * What the deflated entries really inflate to, counted as a stream and abandoned once past
 * `limit`, so a lying directory costs at most `limit` bytes of work and almost no memory.
 */
async function zipInflatedSize(buf: Buffer, limit: number): Promise<number> {
  let total = 0;
  for (const entry of zipEntries(buf) ?? []) {
    const local = entry.localOffset;
    if (entry.method !== 8 || local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) {
      continue; // stored or unreadable: bounded by the file size, or mammoth reports it
    }
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    total += await inflatedBytes(buf.subarray(start, start + entry.compressedSize), limit - total);
    if (total > limit) break;
  }
  return total;
}

function inflatedBytes(deflated: Buffer, limit: number): Promise<number> {
  return new Promise((resolve) => {
    let size = 0;
    const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        inflate.destroy();
        resolve(size);
      }
    });
    inflate.on('end', () => resolve(size));
    inflate.on('error', () => resolve(size)); // corrupt data: mammoth says so afterwards
    inflate.end(deflated);
  });
}

/** NULs or many control / undecodable characters mean this is not a text file. */
function looksBinary(text: string): boolean {
  if (text.includes('\0')) return true;
  // Control characters other than tab, LF, FF and CR are exactly what we are looking for.
  // eslint-disable-next-line no-control-regex
  const bad = text.match(/[\x01-\x08\x0b\x0e-\x1f\x7f\ufffd]/g)?.length ?? 0;
  return bad > text.length * 0.02;
}

const startsWith = (buf: Buffer, magic: number[]) => magic.every((b, i) => buf[i] === b);
const normalise = (text: string) => text.replace(/\r\n?/g, '\n');
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
