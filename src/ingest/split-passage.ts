/** Sentence-level splitting shared by every splitter: long passages are cut at sentence ends. */

const SENTENCE_END = /(?<=[。！？；!?;])|(?<=\n)/u;

/** Splits text into sentences, keeping each end mark with its sentence. */
export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Cuts a passage longer than `maxChars` into pieces that end at sentence ends, each repeating
 * the last sentence of the previous piece so a fact spanning the cut stays findable.
 */
export function splitLongPassage(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const sentences = splitSentences(text);
  const pieces: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const sentence of sentences) {
    if (length + sentence.length > maxChars && current.length > 0) {
      pieces.push(current.join(''));
      const overlap = current[current.length - 1]!;
      current = overlap.length < maxChars / 2 ? [overlap] : [];
      length = current.reduce((n, s) => n + s.length, 0);
    }
    current.push(sentence);
    length += sentence.length;
  }
  if (current.length) pieces.push(current.join(''));
  return pieces;
}
