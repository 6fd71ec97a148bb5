import type { Audience } from './types.ts';

export interface FrontMatterFields {
  title?: string;
  year?: number;
  audience?: Audience;
  effectiveDate?: string;
}

export interface FrontMatter {
  fields: FrontMatterFields;
  /** Text after the closing `---` (the original text when there is no front matter). */
  body: string;
  /** 1-based line of the original text where `body` starts, so chunk line ranges stay true. */
  bodyStartLine: number;
}

const KEYS = ['title', 'year', 'audience', 'effective', 'effective_date'];

/**
 * Optional `---` block at the very start of a file with simple `key: value` lines.
 * Unknown keys are errors, not ignored: a misspelt `audiance: internal` must not silently
 * publish an internal document to residents.
 */
export function parseFrontMatter(text: string): FrontMatter {
  const lines = text.split('\n');
  if (lines[0]?.trim() !== '---') return { fields: {}, body: text, bodyStartLine: 1 };

  const close = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (close < 0) {
    throw new Error('front matter opened with --- on line 1 is never closed: add a --- line');
  }

  const fields: FrontMatterFields = {};
  const seen = new Set<string>();
  lines.slice(1, close).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const lineNo = i + 2;
    const m = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new Error(`front matter line ${lineNo} is not "key: value": ${line}`);
    const key = m[1]!.toLowerCase();
    const value = unquote(m[2]!.trim());
    if (!KEYS.includes(key)) {
      throw new Error(
        `front matter key "${key}" (line ${lineNo}) is unknown; allowed: ${KEYS.join(', ')}`,
      );
    }
    const canonical = key === 'effective_date' ? 'effective' : key;
    if (seen.has(canonical))
      throw new Error(`front matter key "${key}" appears twice (line ${lineNo})`);
    seen.add(canonical);
    if (value === '') return;

    switch (canonical) {
      case 'title':
        fields.title = value;
        break;
      case 'year': {
        const year = /^(\d{4})年?$/.exec(value);
        if (!year)
          throw new Error(
            `front matter year must be a four-digit year such as 2023, got "${value}"`,
          );
        fields.year = Number(year[1]);
        break;
      }
      case 'audience':
        if (value !== 'public' && value !== 'internal') {
          throw new Error(`front matter audience must be "public" or "internal", got "${value}"`);
        }
        fields.audience = value;
        break;
      case 'effective':
        fields.effectiveDate = value;
        break;
    }
  });

  // Body starts after the closing line; slice the original so its characters are untouched.
  const offset = lines.slice(0, close + 1).reduce((n, line) => n + line.length + 1, 0);
  return { fields, body: text.slice(offset), bodyStartLine: close + 2 };
}

function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? m[2]! : value;
}
