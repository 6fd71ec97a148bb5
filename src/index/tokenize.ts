/** Tokens for the lexical index: CJK character unigrams and bigrams, Latin words and numbers. */

const CJK = /\p{Script=Han}/u;
const WORD = /[\p{Script=Han}]+|[a-z0-9]+(?:\.[0-9]+)?/gu;

/** NFKC folds full-width letters and digits (１２３４８ -> 12348) before tokenising. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Character unigrams + bigrams: measured best for colloquial Chinese questions on this corpus. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of normalizeText(text).matchAll(WORD)) {
    const run = match[0];
    if (!CJK.test(run[0]!)) {
      tokens.push(run);
      continue;
    }
    const chars = Array.from(run);
    for (let i = 0; i < chars.length; i++) {
      tokens.push(chars[i]!);
      if (i + 1 < chars.length) tokens.push(chars[i]! + chars[i + 1]!);
    }
  }
  return tokens;
}

/** Character bigrams only: the reference baseline of the bench (shared/bench/README.md). */
export function tokenizeBigrams(text: string): string[] {
  const tokens: string[] = [];
  for (const match of normalizeText(text).matchAll(WORD)) {
    const chars = Array.from(match[0]);
    if (!CJK.test(chars[0]!) || chars.length === 1) {
      tokens.push(match[0]);
      continue;
    }
    for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
  }
  return tokens;
}
