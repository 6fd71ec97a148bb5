const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 一千零六十四 -> 1064, 十七 -> 17, "12" -> 12; NaN when it is not a numeral. */
export function parseChineseNumeral(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let digit = 0;
  let seen = false;
  for (const ch of text) {
    if (ch in DIGITS) {
      digit = DIGITS[ch]!;
      seen = true;
    } else if (ch in UNITS) {
      // 十七: a unit with no digit before it means one of that unit.
      total += (seen ? digit : 1) * UNITS[ch]!;
      digit = 0;
      seen = false;
    } else if (ch === '万') {
      total = (total + digit) * 10000;
      digit = 0;
      seen = false;
    } else {
      return NaN;
    }
  }
  return total + digit;
}

const SMALL = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1064 -> 一千零六十四, 17 -> 十七, 110 -> 一百一十: the way statutes number articles. */
export function toChineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`unsupported numeral ${n}`);
  if (n < 10) return SMALL[n]!;
  if (n < 20) return '十' + (n % 10 ? SMALL[n % 10] : '');
  const parts: string[] = [];
  const units = [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
  ] as const;
  let rest = n;
  let pendingZero = false;
  for (const [value, unit] of units) {
    const d = Math.floor(rest / value);
    rest %= value;
    if (d) {
      if (pendingZero) parts.push('零');
      parts.push(SMALL[d]! + unit);
      pendingZero = false;
    } else if (parts.length) {
      pendingZero = true;
    }
  }
  if (rest) parts.push((pendingZero ? '零' : '') + SMALL[rest]!);
  return parts.join('');
}
