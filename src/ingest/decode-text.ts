import chardet from 'chardet';

/**
 * Bytes of a plain-text file to a string. Township files are UTF-8 or, when saved by older
 * Windows tools / WPS, GBK; so GB18030 (a superset of GBK and GB2312) is the fallback.
 * Line endings are normalised to LF so line numbers match what editors show.
 */
export function decodeText(bytes: Uint8Array): string {
  return decode(bytes).replace(/\r\n?/g, '\n');
}

function decode(bytes: Uint8Array): string {
  // BOMs are unambiguous; check UTF-16 first because its bytes can still be valid UTF-8 (NULs).
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);

  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: fall through to guessing.
  }

  // chardet often misreads short GBK text (e.g. as KOI8-R), so only trust guesses that are
  // plausible here; everything else decodes as GB18030.
  const best = chardet.analyse(bytes)[0];
  switch (best?.name) {
    case 'UTF-16LE':
      return new TextDecoder('utf-16le').decode(bytes);
    case 'UTF-16BE':
      return new TextDecoder('utf-16be').decode(bytes);
    case 'Big5':
      if (best.confidence >= 50) return new TextDecoder('big5').decode(bytes);
  }
  return new TextDecoder('gb18030').decode(bytes);
}
