/**
 * The seven parts of a township's annual 法治政府建设 report, in the wording of the town's own
 * 2023 report (knowledge/reports/songcun-2023-fazhi-report.txt), and the recognition of a part
 * from what staff type: its number (二, 2, 第二部分) or its words (存在的不足, 不足和原因).
 */

/** How the town numbers what sits under a part (taken from the 2023 report). */
export type PartLayout =
  /** （一）heading。一是…；二是…。 inline, one paragraph per sub-heading (parts 一, 五, 六). */
  | 'headed'
  /** （1） heading on its own line, the paragraph below it (part 三). */
  | 'headed-own-line'
  /** 一是…；二是…。 directly under the part (part 二). */
  | 'items'
  /** A short statement, often just 无 (parts 四, 七). */
  | 'statement';

export interface ReportPart {
  /** 1 to 7. */
  number: number;
  /** 一 … 七. */
  numeral: string;
  /** The part's title without its numeral; part 五 holds `{year}`. */
  title: string;
  /** Short name for messages (主要举措, 存在的不足 …). */
  short: string;
  layout: PartLayout;
  /** What the part should contain, for the 【待补充：…】 marker when the notes give nothing. */
  hint: string;
  /** Words staff use for the part, besides its title and number. */
  aliases: readonly string[];
}

export const REPORT_PARTS: readonly ReportPart[] = [
  {
    number: 1,
    numeral: '一',
    title: '法治政府建设的主要举措和成效',
    short: '主要举措和成效',
    layout: 'headed',
    hint: '本年度法治政府建设的主要举措和成效，如学法培训、普法宣传、行政执法、矛盾纠纷化解的做法和数字',
    aliases: [
      '主要举措和成效',
      '主要举措',
      '举措和成效',
      '举措',
      '主要成效',
      '成效',
      '工作成效',
      '主要做法',
      '做法',
      '工作开展情况',
    ],
  },
  {
    number: 2,
    numeral: '二',
    title: '存在的不足和原因',
    short: '存在的不足和原因',
    layout: 'items',
    hint: '本年度法治政府建设存在的不足和原因',
    aliases: [
      '存在的不足',
      '不足和原因',
      '不足',
      '存在问题',
      '存在的问题',
      '问题和不足',
      '问题',
      '短板',
      '原因',
    ],
  },
  {
    number: 3,
    numeral: '三',
    title:
      '党政主要负责人履行推进法治建设第一责任人职责，落实年度责任清单，加强法治政府建设相关情况',
    short: '党政主要负责人履行第一责任人职责情况',
    layout: 'headed-own-line',
    hint: '党政主要负责人履行推进法治建设第一责任人职责、落实年度责任清单的情况，如专题研究、带头学法、述法',
    aliases: [
      '第一责任人',
      '党政主要负责人',
      '主要负责人',
      '责任清单',
      '第一责任人职责',
      '履职情况',
      '述法',
    ],
  },
  {
    number: 4,
    numeral: '四',
    title: '履行法院生效裁判情况',
    short: '履行法院生效裁判情况',
    layout: 'statement',
    hint: '本年度有无需履行的法院生效裁判，如无请写“无”',
    aliases: [
      '履行法院生效裁判',
      '法院生效裁判',
      '生效裁判',
      '法院裁判',
      '裁判',
      '法院判决',
      '判决',
      '法院',
    ],
  },
  {
    number: 5,
    numeral: '五',
    title: '{year}年推进法治政府建设的主要安排和具体计划',
    short: '下一年主要安排和具体计划',
    layout: 'headed',
    hint: '下一年推进法治政府建设的主要安排和具体计划',
    aliases: [
      '主要安排和具体计划',
      '主要安排',
      '具体计划',
      '安排和计划',
      '工作安排',
      '工作计划',
      '计划',
      '安排',
      '打算',
      '下步打算',
      '下一步',
      '明年',
      '下一年',
      '工作思路',
    ],
  },
  {
    number: 6,
    numeral: '六',
    title: '对全县加强法治政府建设的意见建议',
    short: '意见建议',
    layout: 'headed',
    hint: '对全县加强法治政府建设的意见建议',
    aliases: ['意见建议', '意见和建议', '建议', '意见'],
  },
  {
    number: 7,
    numeral: '七',
    title: '其他需要报告的重要事项',
    short: '其他需要报告的重要事项',
    layout: 'statement',
    hint: '有无其他需要报告的重要事项，如无请写“无”',
    aliases: ['其他需要报告的重要事项', '其他重要事项', '重要事项', '其他事项', '其他'],
  },
];

const ALL_WORDS = [
  '全文',
  '全部',
  '全篇',
  '整篇',
  '全报告',
  '整个报告',
  '报告全文',
  '完整报告',
  'all',
  '全',
];

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七'];

/** The part's heading line: "二、存在的不足和原因"; part 五 takes the plan year. */
export function partHeading(part: ReportPart, planYear?: number): string {
  const title = part.title.replace('{year}', planYear ? String(planYear) : '【待补充：年份】');
  return `${part.numeral}、${title}`;
}

/** The part with this number (1 to 7). */
export function partByNumber(number: number): ReportPart {
  const part = REPORT_PARTS[number - 1];
  if (!part) throw new RangeError(`no report part ${number}`);
  return part;
}

export class UnknownSectionError extends Error {
  override name = 'UnknownSectionError';
}

/** The list shown when a section name is not recognised. */
export function describeParts(): string {
  const lines = REPORT_PARTS.map(
    (p) =>
      `  ${p.numeral}、${p.title.replace('{year}', '下一')}（可写“${p.numeral}”或“${p.aliases[0]}”）`,
  );
  return [...lines, '  全文（七个部分一起起草）'].join('\n');
}

function normalise(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s“”"'‘’《》【】[\]]/gu, '')
    .replace(/^(?:起草|写|草拟|拟写)/u, '')
    .replace(/[：:、.。,，]+$/u, '')
    .replace(/部分$/u, '')
    .toLowerCase();
}

function byNumeral(text: string): ReportPart | undefined {
  // 二 / 2 / 第二 / 第2 / 二、… / (二) / 第二部分 (部分 is already removed)
  const m = /^(?:第)?(?:[(（])?([一二三四五六七1-7])(?:[)）])?(?:、|$)/u.exec(text);
  if (!m) return undefined;
  const token = m[1]!;
  const index = /\d/u.test(token) ? Number(token) - 1 : NUMERALS.indexOf(token);
  const part = REPORT_PARTS[index];
  if (!part) return undefined;
  // "二、存在的不足": the words, when given, must not name another part.
  const rest = text.slice(m[0].length);
  if (rest) {
    const named = byWords(rest);
    if (named && named !== part) return undefined;
  }
  return part;
}

function byWords(text: string): ReportPart | undefined {
  // The name holds a part's title or one of its words (存在的不足和原因 ⊃ 不足): the longest wins.
  let best: { part: ReportPart; length: number } | undefined;
  for (const part of REPORT_PARTS) {
    const title = normalise(part.title.replace('{year}', ''));
    for (const words of [title, ...part.aliases.map(normalise)]) {
      if (words && text.includes(words) && (!best || words.length > best.length)) {
        best = { part, length: words.length };
      }
    }
  }
  if (best) return best.part;
  // Or it is a piece of exactly one part's title (推进法治政府建设的主要安排 -> 五).
  if (text.length < 2) return undefined;
  const holders = REPORT_PARTS.filter((p) =>
    normalise(p.title.replace('{year}', '')).includes(text),
  );
  return holders.length === 1 ? holders[0] : undefined;
}

/**
 * The part named by what staff typed ("存在的不足", "二", "第二部分", "不足和原因", "2"), or
 * 'all' for the whole report ("全文"). Throws UnknownSectionError listing the parts otherwise.
 */
export function recognizeSection(name: string): ReportPart | 'all' {
  const text = normalise(name);
  if (!text) throw new UnknownSectionError(`请写明起草哪一部分。可选：\n${describeParts()}`);
  if (ALL_WORDS.includes(text) || /^全文/u.test(text)) return 'all';
  const part = byNumeral(text) ?? byWords(text);
  if (part) return part;
  throw new UnknownSectionError(`不认识“${name.trim()}”这一部分。可选：\n${describeParts()}`);
}
