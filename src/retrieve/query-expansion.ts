import { readFileSync } from 'node:fs';
import { normalizeText } from '../index/tokenize.ts';

/** One row of the township's colloquial -> legal vocabulary (knowledge/synonyms.tsv). */
export interface SynonymEntry {
  /** The phrase as written, `男人+打人` meaning both parts anywhere in the question. */
  colloquial: string;
  legal: string[];
}

/**
 * Parses the synonym table: `口语说法<TAB>法律用语 法律用语…`, `#` comments; a left side
 * `甲+乙` fires when both parts occur anywhere in the question. A malformed line
 * is an error naming its line number, so a township editing the file sees what to fix.
 */
export function parseSynonyms(text: string, file = 'synonyms.tsv'): SynonymEntry[] {
  const entries: SynonymEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [colloquial, legal] = line.split('\t');
    const terms = (legal ?? '').split(/[\s,，、]+/u).filter(Boolean);
    if (!colloquial?.trim() || !terms.length) {
      throw new Error(
        `${file}:${index + 1}: expected "口语说法<TAB>法律用语 …" (a tab between the two columns), got "${line}"`,
      );
    }
    entries.push({ colloquial: normalizeText(colloquial.trim()), legal: terms });
  });
  return entries;
}

export function loadSynonyms(path: string): SynonymEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return []; // no table: no expansion
  }
  return parseSynonyms(text, path);
}

/** Whether a normalised question holds the phrase (every `+`-joined part of it). */
export function matchesColloquial(normalizedText: string, colloquial: string): boolean {
  return colloquial.split('+').every((part) => normalizedText.includes(part));
}

/** The legal terms whose colloquial side occurs in the question, each once, in table order. */
export function expandQuery(question: string, table: SynonymEntry[]): string[] {
  const text = normalizeText(question);
  const terms = new Set<string>();
  for (const entry of table) {
    if (matchesColloquial(text, entry.colloquial)) for (const term of entry.legal) terms.add(term);
  }
  return [...terms];
}
