import { splitSentences } from '../ingest/split-passage.ts';
import { findCitedArticles } from './cited-articles.ts';

export interface CheckedAnswer {
  text: string;
  /** 1-based numbers of the given passages the answer cites. */
  cited: number[];
  /** What had to be removed, for the log. */
  repairs: string[];
}

const MAX_MODEL_CHARS = 320;

/** Markdown a chat model may add anyway: WeChat shows it as literal symbols. */
function toPlainText(text: string): string {
  return text
    .replace(/\*\*|__|`/gu, '')
    .replace(/^\s*#+\s*/gmu, '')
    .replace(/^\s*(?:[-*•]|\d+[.、)])\s+/gmu, '')
    .replace(/\n{2,}/gu, '\n')
    .trim();
}

/**
 * Checks a model's answer against what it was given: a [n] that names no given passage is
 * dropped, a sentence naming an article the index does not have is dropped, Markdown is removed.
 * Returns undefined when nothing grounded is left (no valid [n]), so the caller falls back.
 */
export function checkModelAnswer(
  raw: string,
  passageCount: number,
  articleExists: (law: string, article: string) => boolean,
): CheckedAnswer | undefined {
  const repairs: string[] = [];
  const cited = new Set<number>();
  const kept: string[] = [];
  for (const sentence of splitSentences(toPlainText(raw))) {
    const bad = findCitedArticles(sentence).filter((k) => !articleExists(k.law, k.article));
    if (bad.length) {
      repairs.push(
        `dropped a sentence citing ${bad.map((k) => `《${k.law}》${k.article}`).join('、')}`,
      );
      continue;
    }
    const cleaned = sentence.replace(/\s*\[(\d+)\]/gu, (_marker, n: string) => {
      const number = Number(n);
      if (number >= 1 && number <= passageCount) {
        cited.add(number);
        return '';
      }
      repairs.push(`dropped [${n}]: no such passage`);
      return '';
    });
    if (cleaned.trim()) kept.push(cleaned.trim());
  }
  if (!cited.size) return undefined;
  let text = '';
  for (const sentence of kept) {
    if (text && text.length + sentence.length > MAX_MODEL_CHARS) break;
    text += sentence;
  }
  return text.length >= 8 ? { text, cited: [...cited].sort((a, b) => a - b), repairs } : undefined;
}
