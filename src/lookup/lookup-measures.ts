import type { Citation, Reply } from '../answer/reply.ts';
import { normalizeText } from '../index/tokenize.ts';
import {
  allSections,
  type ReportFigure,
  type ReportMeasure,
  type ReportOutline,
  type ReportSection,
} from './parse-report.ts';

export interface LookupOptions {
  /** The clock: 去年/前年/今年 resolve against it. */
  today: Date;
  /** Reply length budget (characters); WeChat shows about this much comfortably. */
  maxChars?: number;
}

/** A reply for an adviser: found=false when the reports hold nothing (then no figure is shown). */
export interface LookupAnswer extends Reply {
  found: boolean;
}

const DEFAULT_MAX_CHARS = 900;
/** A facet is answered when its best candidate covers at least this share of its terms. */
const MIN_SCORE = 0.5;
/** Figures need more: the counted thing itself must match, not just the paragraph around it. */
const MIN_FIGURE_SCORE = 0.6;
const UNIT_BONUS = 0.2;
const MAX_TERM_CHARS = 10;
const LONG_MEASURE = 200;

// ---- the question -------------------------------------------------------------------------

export type YearScope =
  | { kind: 'all' }
  | { kind: 'years'; years: number[] }
  /** 近两年: the latest `count` years with a report, not after `to`. */
  | { kind: 'recent'; count: number; to: number };

export interface Term {
  text: string;
  known: boolean;
  weight: number;
}

export interface Facet {
  terms: Term[];
  /** Its clause asks for a number (多少, 几次), maybe in a unit (次). */
  number: boolean;
  unit?: string;
  /** Asks about next year's plans (明年, 下一步, 打算): favour the plan part. */
  plan: boolean;
}

export interface Question {
  scope: YearScope;
  /** Some clause asks for a number. */
  wantsNumber: boolean;
  /** Asks what a part says or lists (哪几条, 写的啥, 哪些方面): favour whole sections. */
  wantsSection: boolean;
  /** 第一条, 第三部分: which child (1-based) of the matched section, or which part. */
  ordinal?: number;
  facets: Facet[];
}

const CN_DIGITS: Record<string, string> = {
  ...Object.fromEntries(Array.from('〇一二三四五六七八九', (c, i) => [c, String(i)])),
  零: '0',
};
const SMALL_COUNT: Record<string, number> = { 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 十: 10 };

const RELATIVE_YEARS: [RegExp, number][] = [
  [/大前年/gu, -3],
  [/前年/gu, -2],
  [/去年|上一年|上年(?!度)|头年/gu, -1],
  [/今年|本年度|本年/gu, 0],
];
const ALL_YEARS =
  /历年|往年|历次|各年|每年|每一年|这几年|近几年|近年来|近年|多年来|以往|过去几年/gu;
const RECENT_YEARS = /(?:近|最近)([两二三四五十\d]+)年/gu;
const PLAN_WORDS = /明年|下一年|下年|来年|次年|下一步|下步|今后|以后|接下来|打算|计划|安排/gu;
const NUMBER_WORDS = /多少|(?<![哪这近好])几(?!乎)|数量|次数|件数|人数|总数|数字|数据|统计/u;
const SECTION_WORDS =
  /哪几条|哪几项|哪几个方面|哪几方面|哪些方面|几个方面|哪几部分|几部分|哪些部分|写的啥|写了啥|写的什么|写了什么|说了啥|说了什么|讲了什么|讲的啥|什么内容|啥内容|内容|部分|几条|几项/u;

const COUNT_UNITS = '人次 场次 万元 元 次 起 份 件 个 人 场 项 条 户 名 家 期 篇 批 天'.split(' ');
const UNIT_AFTER = new RegExp(`^(?:${COUNT_UNITS.join('|')})`, 'u');

// Removed before segmenting: question words that never carry the topic.
const QUESTION_WORDS =
  /多少钱|多少|数量|次数|件数|人数|总数|数字|数据|统计|哪几个方面|哪几方面|哪几[条项类个起次份件部]?|哪些|哪个|哪儿|哪里|哪|几[次起份件个人场项条户名家类期篇天回批]|什么|怎么样|怎么|怎样|如何|为什么|为啥|有没有|是不是|是否|请问|一下|啥|咋|吗|呢|吧|呀|么|嘛|\?|？/gu;
// Tokens dropped after segmenting (a corpus word such as 党政主要负责人 keeps its 主要).
const STOP_TOKENS = new Set(
  '报告 具体 分别 各自 主要 情况 工作 措施 举措 做法 方面 内容 部分 两部分 这两部分 准备 有关 相关 关于 一共 总共 共计 累计 全年 期间 当中 之中 里面 上面 我们 咱们 我镇 本镇 全镇 镇里 进行 开展了 还有 上来 下来 出来 起来 了解'.split(
    ' ',
  ),
);
const STOP_LIST = [...STOP_TOKENS].sort((a, b) => b.length - a.length);
const STOP_CHARS = new Set(
  Array.from(
    '了的是都在上有给向把被对从将就还也又再要会能可去来说写提做干搞弄办各共这那其之而或即等啊哦嗯里中内年月日个次起份件项条到为让用盯',
  ),
);
// Particles a greedy match may glue onto a word: 的重要事项 -> 重要事项.
const PARTICLES = new Set(Array.from('的了是都在把被给向也就还又再'));
const CONJUNCTIONS = new Set(['和', '与', '及', '跟', '同', '并', '以及', '还有', '、']);
const CONJUNCTION_CHARS = new Set(Array.from('和与及跟'));

/** 多少次 -> number, unit 次; 执法次数 -> unit 次; 多少矛盾纠纷…起 -> unit 起. */
function numberIntent(text: string): { number: boolean; unit?: string } {
  const match = NUMBER_WORDS.exec(text);
  if (!match) return { number: false };
  const after = text.slice(match.index + match[0].length);
  const implied: Record<string, string> = { 次数: '次', 人数: '人', 件数: '件' };
  const unit =
    UNIT_AFTER.exec(after)?.[0] ??
    implied[match[0]] ??
    /(人次|场次|次|起|份|件|个|人|场|项|条|户|名)[?？。\s]*$/u.exec(text)?.[1];
  return unit ? { number: true, unit } : { number: true };
}

function relativeYear(today: Date, offset: number): number {
  return today.getFullYear() + offset;
}

/** 一..九十九 -> number (NaN otherwise). */
function cnNumber(text: string): number {
  const digit = (c?: string) => (c ? Number(CN_DIGITS[c] ?? NaN) : NaN);
  if (text.length === 1) return text === '十' ? 10 : digit(text);
  const [a, b, c] = Array.from(text);
  if (a === '十') return 10 + digit(b);
  if (b === '十') return digit(a) * 10 + (c ? digit(c) : 0);
  return NaN;
}

function parseCount(text: string): number {
  if (/^\d+$/u.test(text)) return Number(text);
  return SMALL_COUNT[text] ?? NaN;
}

/** Years asked for and the text with the year expressions taken out. */
function extractYears(text: string, today: Date): { scope?: YearScope; rest: string } {
  const years = new Set<number>();
  let all = false;
  let recent: YearScope | undefined;
  let rest = text.replace(/([〇零一二三四五六七八九]{4})\s*年度?/gu, (_m, cn: string) => {
    years.add(Number(Array.from(cn, (c) => CN_DIGITS[c] ?? '').join('')));
    return ' ';
  });
  rest = rest.replace(
    /((?:19|20)\d{2})\s*年?\s*(?:-|—|–|~|～|至|到)\s*((?:19|20)\d{2})\s*年?度?/gu,
    (_m, a: string, b: string) => {
      for (let y = Math.min(+a, +b); y <= Math.max(+a, +b); y++) years.add(y);
      return ' ';
    },
  );
  rest = rest.replace(/((?:19|20)\d{2})\s*(?:年度|年)?/gu, (_m, y: string) => {
    years.add(Number(y));
    return ' ';
  });
  rest = rest.replace(RECENT_YEARS, (_m, n: string) => {
    const count = parseCount(n);
    if (Number.isFinite(count) && count > 0)
      recent = { kind: 'recent', count, to: today.getFullYear() };
    return ' ';
  });
  for (const [pattern, offset] of RELATIVE_YEARS) {
    rest = rest.replace(pattern, () => {
      years.add(relativeYear(today, offset));
      return ' ';
    });
  }
  rest = rest.replace(ALL_YEARS, () => {
    all = true;
    return ' ';
  });
  if (years.size)
    return { scope: { kind: 'years', years: [...years].sort((a, b) => b - a) }, rest };
  if (recent) return { scope: recent, rest };
  return { scope: all ? { kind: 'all' } : undefined, rest };
}

interface Vocabulary {
  substrings: Set<string>;
  docs: string[];
}

const vocabularies = new WeakMap<ReportOutline, Vocabulary>();

/** Every substring (2..10 characters) of a report's headings and measures, and its documents. */
function vocabulary(report: ReportOutline): Vocabulary {
  const cached = vocabularies.get(report);
  if (cached) return cached;
  const docs = [
    ...allSections(report).map((s) => normalizeText(s.heading)),
    ...report.measures.map((m) => normalizeText(m.text)),
  ];
  const substrings = new Set<string>();
  for (const doc of docs) {
    const chars = Array.from(doc);
    for (let i = 0; i < chars.length; i++)
      for (let len = 2; len <= MAX_TERM_CHARS && i + len <= chars.length; len++)
        substrings.add(chars.slice(i, i + len).join(''));
  }
  const vocab = { substrings, docs };
  vocabularies.set(report, vocab);
  return vocab;
}

/** Greedy longest match against the reports' own wording; unmatched characters stay single. */
function segment(piece: string, known: (s: string) => boolean): string[] {
  const chars = Array.from(piece);
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let len = Math.min(MAX_TERM_CHARS, chars.length - i);
    while (len >= 2 && !known(chars.slice(i, i + len).join(''))) len--;
    if (len < 2) len = 1;
    // 和/与 before a short match is the conjunction (执法文书和执法次数), not 和执(行).
    if (len <= 3 && CONJUNCTION_CHARS.has(chars[i]!)) len = 1;
    // A stop word (准备, 具体) wins over a corpus word of the same length or shorter.
    const stop = STOP_LIST.find(
      (w) => w.length >= len && chars.slice(i, i + w.length).join('') === w,
    );
    if (stop) len = stop.length;
    let token = chars.slice(i, i + len).join('');
    // Trim a particle glued on by the match (的重要事项 -> 重要事项) while the rest is a word.
    while (token.length > 2 && PARTICLES.has(token[0]!) && known(token.slice(1)))
      token = token.slice(1);
    while (token.length > 2 && PARTICLES.has(token.at(-1)!) && known(token.slice(0, -1)))
      token = token.slice(0, -1);
    out.push(token);
    i += len;
  }
  return out;
}

export function parseQuestion(question: string, reports: ReportOutline[], today: Date): Question {
  let text = normalizeText(question).replace(/^\s*(?:查询|查一下|查查|查)[\s:：]+/u, '');
  const { scope, rest } = extractYears(text, today);
  text = rest;
  const wantsNumber = numberIntent(text).number;
  const wantsSection = SECTION_WORDS.test(text);
  let ordinal: number | undefined;
  text = text.replace(
    /第([一二三四五六七八九十]+|\d+)(?:条|项|点|个|大?部分|方面)/u,
    (_m, n: string) => {
      const value = /^\d+$/u.test(n) ? Number(n) : cnNumber(n);
      if (value > 0) ordinal = value;
      return ' ';
    },
  );

  const known = (s: string) => reports.some((r) => vocabulary(r).substrings.has(s));
  const docCount = reports.reduce((n, r) => n + vocabulary(r).docs.length, 0) || 1;
  const idf = (df: number) => Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
  // Longer words are more specific (安全生产执法 over 处置).
  const lengthFactor = (term: string) => Math.sqrt(Math.min(Array.from(term).length, 8) / 2);
  const weightOf = (term: string) => {
    const df = reports.reduce(
      (n, r) => n + vocabulary(r).docs.filter((d) => d.includes(term)).length,
      0,
    );
    return idf(df) * lengthFactor(term);
  };

  const facets: Facet[] = [];
  // Punctuation separates facets (each answered on its own); question words only separate terms.
  // A number asked in one clause is asked of that clause's facets ("A和B各多少起").
  let previous: Facet[] = [];
  for (const piece of text.split(/[，,。.;；:：!！]+/u)) {
    const before = facets.length;
    const intent = numberIntent(piece);
    const plan = PLAN_WORDS.test(piece);
    PLAN_WORDS.lastIndex = 0;
    const cleaned = piece.replace(QUESTION_WORDS, ' ').replace(PLAN_WORDS, ' ');
    const fresh = (): Facet => ({ terms: [], plan, ...intent });
    let current = fresh();
    const flush = () => {
      if (current.terms.length) facets.push(current);
      current = fresh();
    };
    for (const run of cleaned.split(/[^\p{Script=Han}a-z0-9、]+/u)) {
      let unknown = '';
      const endUnknown = () => {
        if (Array.from(unknown).length >= 2)
          current.terms.push({
            text: unknown,
            known: false,
            weight: idf(1.5) * lengthFactor(unknown),
          });
        unknown = '';
      };
      for (const token of segment(run, known)) {
        if (CONJUNCTIONS.has(token)) {
          endUnknown();
          flush();
        } else if (STOP_TOKENS.has(token) || STOP_CHARS.has(token)) {
          endUnknown();
        } else if (token.length === 1 || !known(token)) {
          unknown += token;
        } else {
          endUnknown();
          if (!current.terms.some((t) => t.text === token))
            current.terms.push({ text: token, known: true, weight: weightOf(token) });
        }
      }
      endUnknown();
    }
    flush();
    // A plan word alone ("明年打算") still asks for the plan part.
    if (plan && !facets.some((f) => f.plan)) facets.push({ ...fresh() });
    // "…矛盾纠纷，重点是哪几类": a clause with one word of its own is about the one before.
    const added = facets.slice(before);
    for (const facet of added) {
      if (facet.terms.length !== 1 || !facet.terms[0]!.known) continue;
      for (const prior of previous.flatMap((f) => f.terms))
        if (prior.known && !facet.terms.some((t) => t.text === prior.text))
          facet.terms.push({ ...prior, weight: prior.weight / 2 });
    }
    if (added.length) previous = added;
  }
  return {
    scope: scope ?? { kind: 'all' },
    wantsNumber,
    wantsSection,
    ...(ordinal && { ordinal }),
    facets,
  };
}

// ---- scoring ------------------------------------------------------------------------------

function bigrams(text: string): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** 1 when the term is in the field; partial credit when most of its bigrams are. */
function credit(term: string, field: string): number {
  if (field.includes(term)) return 1;
  const grams = bigrams(term);
  if (grams.length < 2) return 0;
  // A phrase the report words differently (矛盾纠纷排查 vs 排查各类矛盾纠纷) still counts.
  const share = grams.filter((g) => field.includes(g)).length / grams.length;
  return share >= 0.5 ? 0.9 * share : 0;
}

/** Weighted share of the facet's terms found, each in its best field ([text, field weight]). */
function coverage(terms: Term[], fields: [string, number][]): number {
  let total = 0;
  let got = 0;
  for (const term of terms) {
    total += term.weight;
    if (!term.known) continue;
    let best = 0;
    for (const [field, weight] of fields) best = Math.max(best, credit(term.text, field) * weight);
    got += term.weight * best;
  }
  return total ? got / total : 0;
}

const PLAN_PART = /安排|计划|打算|思路|下一步/u;
const ADVICE_PART = /建议/u;

interface Scored<T> {
  report: ReportOutline;
  item: T;
  score: number;
}

function isPlan(path: string[]): boolean {
  return PLAN_PART.test(path[0] ?? '');
}

function scoreMeasures(facet: Facet, report: ReportOutline): Scored<ReportMeasure>[] {
  return report.measures.map((m) => {
    const path = normalizeText(m.path.join(' '));
    let score = facet.terms.length
      ? coverage(facet.terms, [
          [normalizeText(m.text), 1],
          [path, 0.6],
        ])
      : 0;
    if (facet.plan && isPlan(m.path) && (score > 0 || !facet.terms.length)) score += 0.25;
    else if (!facet.plan && (isPlan(m.path) || ADVICE_PART.test(m.path[0] ?? ''))) score *= 0.85;
    return { report, item: m, score };
  });
}

function scoreSections(facet: Facet, report: ReportOutline): Scored<ReportSection>[] {
  return allSections(report).map((s) => {
    const own = normalizeText(s.heading);
    const ancestors = normalizeText(s.path.slice(0, -1).join(' '));
    let score = facet.terms.length
      ? coverage(facet.terms, [
          [own, 1],
          [ancestors, 0.95],
        ])
      : 0;
    if (facet.plan && isPlan(s.path) && s.level === 1 && !facet.terms.length) score = 1;
    else if (facet.plan && isPlan(s.path) && score > 0) score += 0.25;
    return { report, item: s, score };
  });
}

/** The clause a figure closes, organiser included: "组织政府机关干部开展法律知识专题学习". */
function figureClause(f: ReportFigure): string {
  const end = f.sentence.indexOf(f.text);
  const counted = f.text.slice(0, f.text.length - f.value.length - f.unit.length);
  if (end < 0) return counted;
  const before = f.sentence.slice(0, end);
  const start = Math.max(...Array.from('，,。；;：:、').map((c) => before.lastIndexOf(c))) + 1;
  return f.sentence.slice(start, end) + counted;
}

/**
 * What was counted (1), its clause (0.8), the sentence (0.3) and the section (0.4); `base` is
 * the match alone, `score` adds a bonus when the unit is the one asked (多少次 -> 次).
 */
function scoreFigures(
  facet: Facet,
  report: ReportOutline,
  unit?: string,
): (Scored<ReportFigure> & { base: number })[] {
  return report.figures.map((f) => {
    const what = normalizeText(f.what);
    const clause = normalizeText(figureClause(f));
    const core = coverage(facet.terms, [
      [what, 1],
      [clause, 0.8],
    ]);
    if (core < 0.3) return { report, item: f, score: 0, base: 0 };
    const base = coverage(facet.terms, [
      [what, 1],
      [clause, 0.8],
      [normalizeText(f.sentence), 0.3],
      [normalizeText(f.path.join(' ')), 0.4],
    ]);
    const score = base + (unit && f.unit === unit ? UNIT_BONUS : 0);
    return { report, item: f, score, base };
  });
}

/** The best of each report, and those close to it. */
function pick<T, S extends Scored<T>>(
  scored: S[],
  keep: (s: S, best: number) => boolean,
  perReport: number,
  good: (best: S) => boolean = (best) => best.score >= MIN_SCORE,
): S[] {
  const byReport = new Map<ReportOutline, S[]>();
  for (const s of scored) byReport.set(s.report, [...(byReport.get(s.report) ?? []), s]);
  const out: S[] = [];
  for (const list of byReport.values()) {
    const sorted = [...list].sort((a, b) => b.score - a.score);
    const best = sorted[0]?.score ?? 0;
    if (!sorted[0] || !good(sorted[0])) continue;
    out.push(...sorted.filter((s) => keep(s, best)).slice(0, perReport));
  }
  return out;
}

// ---- the reply ----------------------------------------------------------------------------

type Result =
  | { kind: 'figures'; items: Scored<ReportFigure>[] }
  | { kind: 'section'; items: Scored<ReportSection>[] }
  | { kind: 'measures'; items: Scored<ReportMeasure>[] }
  | { kind: 'missing'; topic: string; number: boolean; related: boolean };

function answerFacet(facet: Facet, question: Question, reports: ReportOutline[]): Result {
  const topic = facet.terms
    .map((t) => t.text)
    .join('')
    .replace(/[0-9]/gu, '');
  const measures = reports.flatMap((r) => scoreMeasures(facet, r));
  const sections = reports.flatMap((r) => scoreSections(facet, r));
  const bestOf = (list: Scored<unknown>[], report: ReportOutline) =>
    Math.max(0, ...list.filter((s) => s.report === report).map((s) => s.score));

  // A section wins when its heading matches better than any single measure, when the question
  // asks what a part says, or when the part says only 无.
  const sectionPicks = pick(
    sections,
    (s, best) =>
      s.score >= best &&
      (s.item.none ||
        s.score >= bestOf(measures, s.report) + 0.1 ||
        (question.wantsSection && s.score >= bestOf(measures, s.report) - 0.05)),
    1,
  );

  if (facet.number) {
    const figures = pick(
      reports.flatMap((r) => scoreFigures(facet, r, facet.unit)),
      (s, best) => s.base >= MIN_FIGURE_SCORE && s.score >= best - 0.15,
      3,
      (best) => best.base >= MIN_FIGURE_SCORE,
    );
    if (figures.length) return { kind: 'figures', items: figures };
    const countable = sectionPicks.filter(
      (s) => s.item.none || (question.wantsSection && s.item.children.length > 1),
    );
    if (countable.length) return { kind: 'section', items: countable };
    const related = measures.some((m) => m.score >= MIN_SCORE);
    return { kind: 'missing', topic, number: true, related };
  }
  if (sectionPicks.length) return { kind: 'section', items: sectionPicks };
  const picked = pick(measures, (s, best) => s.score >= Math.max(MIN_SCORE, best * 0.75), 4);
  if (picked.length) return { kind: 'measures', items: picked };
  return { kind: 'missing', topic, number: false, related: false };
}

/** 2023 -> 二〇二三: years in "not found" replies, which must carry no figure. */
function chineseYear(year: number): string {
  return Array.from(String(year), (d) => '〇一二三四五六七八九'[Number(d)]).join('');
}

/** A long heading is shown up to its first comma: 三、党政主要负责人…职责…. */
function shortHeading(heading: string): string {
  if (heading.length <= 26) return heading;
  const comma = heading.search(/[，,]/u);
  return (comma > 0 ? heading.slice(0, comma) : heading.slice(0, 24)) + '…';
}

function citeLabel(report: ReportOutline, path: string[]): string {
  // Ancestors may be shortened; the heading cited itself is always whole.
  const shown = path.map((h, i) => (i < path.length - 1 ? shortHeading(h) : h));
  return `「${report.year ?? ''}年报告 ${shown.join(' > ')}」`;
}

function citation(report: ReportOutline, path: string[], lines: [number, number]): Citation {
  return {
    source: report.source,
    kind: 'report',
    title: report.title,
    ...(report.year !== undefined && { year: report.year }),
    section: path.join(' > '),
    lines,
  };
}

/** Long measures keep the sentences that hold a term (and their first sentence). */
function trimMeasure(text: string, terms: Term[]): string {
  if (text.length <= LONG_MEASURE) return text;
  const sentences = text.split(/(?<=[。；;！？])/u).filter((s) => s.trim());
  const norm = (s: string) => normalizeText(s);
  const keep = sentences.filter(
    (s, i) => i === 0 || terms.some((t) => t.known && credit(t.text, norm(s)) >= 0.7),
  );
  return keep.length < sentences.length ? keep.join('……') : text;
}

function sectionBody(report: ReportOutline, section: ReportSection): string {
  return report.measures
    .filter((m) => m.path.join('\u0000') === section.path.join('\u0000'))
    .map((m) => m.text)
    .join('');
}

function firstSentence(text: string): string {
  const match = /^.*?[。；;！？]/u.exec(text);
  return match && match[0].length < text.length ? match[0] + '……' : text;
}

/** Lines under one citation label, merged across facets. */
interface Block {
  report: ReportOutline;
  /** Sort key within a report: figures first, then document order. */
  order: number;
  label: string;
  lines: string[];
  /** Shorter lines for when the reply runs over its budget. */
  short: string[];
}

function groupLabel(report: ReportOutline): string {
  return `【${report.year ?? '年份不详'}年${report.town ? ' ' + report.town : ''}】`;
}

/** Same thing counted in the same unit (执法…次), so two years can be set side by side. */
function sameCounted(a: ReportFigure, b: ReportFigure): boolean {
  if (a.unit !== b.unit) return false;
  const wa = normalizeText(a.what);
  const wb = normalizeText(b.what);
  return Boolean(wa && wb) && (wa === wb || wa.includes(wb) || wb.includes(wa));
}

/**
 * "比较：执法2024年比2023年多5次。" for each year and the year before it that has the same
 * figure; only when both values are exact (60余 and 75 are listed, not subtracted).
 */
function comparisonLines(figures: Scored<ReportFigure>[]): string[] {
  const lines = new Set<string>();
  for (const { item: a } of figures) {
    const earlier = figures
      .map((f) => f.item)
      .filter((b) => b.year !== undefined && a.year !== undefined && b.year < a.year)
      .filter((b) => sameCounted(a, b))
      .sort((x, y) => y.year! - x.year!)[0];
    if (!earlier || !/^\d+$/u.test(a.value) || !/^\d+$/u.test(earlier.value)) continue;
    const diff = Number(a.value) - Number(earlier.value);
    const years = `${a.year}年${diff === 0 ? '与' : '比'}${earlier.year}年`;
    lines.add(
      diff === 0
        ? `比较：${a.what}${years}持平（均为${a.value}${a.unit}）。`
        : `比较：${a.what}${years}${diff > 0 ? '多' : '少'}${Math.abs(diff)}${a.unit}。`,
    );
  }
  return [...lines];
}

/** A report narrowed to one part (its plan for the next year). */
function planPart(report: ReportOutline, part: ReportSection): ReportOutline {
  const inPart = (path: string[]) => path[0] === part.heading;
  return {
    ...report,
    parts: [part],
    measures: report.measures.filter((m) => inPart(m.path)),
    figures: report.figures.filter((f) => inPart(f.path)),
  };
}

/** The town's names as a question may say them: 沁县松村镇, 松村镇, 松村. */
function townNames(town: string): string[] {
  const short = town.replace(/^.+?[县区市旗](?=.{2,})/u, '');
  const bare = short.replace(/(?<=..)(镇|乡|街道)$/u, '');
  return [...new Set([town, short, bare])].filter((n) => n.length >= 2);
}

/** A town (…镇) the question names that is none of the reports' and not their wording. */
function otherTown(question: string, reports: ReportOutline[]): string | undefined {
  const text = normalizeText(question);
  // Only …镇: 送法下乡, 城乡 and the like are too common to be read as a township's name.
  for (const match of text.matchAll(/[\p{Script=Han}]{2,3}镇/gu)) {
    const name = match[0];
    if (/^[各全本我该这那每]|[乡城集重]镇$/u.test(name)) continue;
    if (reports.some((r) => vocabulary(r).docs.some((d) => d.includes(name)))) continue;
    return name;
  }
  return undefined;
}

const yearsText = (years: number[]) => years.map((y) => `${chineseYear(y)}年`).join('、');

/**
 * Answers an adviser's question about past measures from the parsed reports: the matching
 * figures (verbatim, first when a number is asked, compared across years), whole sections, or
 * measures, grouped by year (newest first), each under its 「2023年报告 一、… > （三）…」 citation.
 * A question the reports cannot answer says so (没有找到 / 报告中没有) and shows no figure.
 */
export function lookupMeasures(
  question: string,
  reports: ReportOutline[],
  options: LookupOptions,
): LookupAnswer {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (!reports.length)
    return {
      text: '没有找到任何年度报告：请先把报告放进 knowledge/reports/。',
      citations: [],
      found: false,
    };

  // A town named in the question narrows the reports to that town.
  let asked = question;
  let pool = reports;
  const townHits = reports.filter(
    (r) => r.town && townNames(r.town).some((n) => question.includes(n)),
  );
  if (townHits.length) {
    pool = townHits;
    const names = townHits.flatMap((r) => townNames(r.town!));
    for (const name of names.sort((a, b) => b.length - a.length))
      asked = asked.split(name).join(' ');
  } else {
    // Another town named ("郭村镇执法多少次"): say there is no report of it, not this town's.
    const other = otherTown(question, reports);
    if (other) {
      const towns = [...new Set(reports.map((r) => r.town).filter(Boolean))].join('、');
      return {
        text: `没有找到${other}的报告，报告中没有这方面的信息。现有报告：${towns || '未标明乡镇'}。`,
        citations: [],
        found: false,
      };
    }
  }

  const parsed = parseQuestion(asked, pool, options.today);
  const available = [
    ...new Set(pool.map((r) => r.year).filter((y): y is number => y !== undefined)),
  ].sort((a, b) => b - a);
  let scope = parsed.scope;
  if (scope.kind === 'recent') {
    const { count, to } = scope;
    scope = { kind: 'years', years: available.filter((y) => y <= to).slice(0, count) };
  }
  const missingYears =
    scope.kind === 'years' ? scope.years.filter((y) => !available.includes(y)) : [];
  const inScope = pool
    .filter((r) => scope.kind === 'all' || (r.year !== undefined && scope.years.includes(r.year)))
    .sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || a.source.localeCompare(b.source));
  const availableText = yearsText(available) || '无';
  // "2024年的安排" before the 2024 report exists: the 2023 report's part on 2024 answers it.
  const planned: ReportOutline[] = [];
  if (!parsed.wantsNumber)
    for (const year of missingYears) {
      for (const report of pool.filter((r) => r.year === year - 1)) {
        const part = report.parts.find(
          (p) => PLAN_PART.test(p.heading) && p.heading.includes(`${year}年`),
        );
        if (part) planned.push(planPart(report, part));
      }
    }
  if (planned.length) {
    inScope.push(...planned.filter((p) => !inScope.some((r) => r.source === p.source)));
    parsed.facets.forEach((f) => (f.plan = true));
  }
  if (!inScope.length)
    return {
      text: `没有找到${yearsText(missingYears)}的报告，报告中没有这方面的信息。现有报告：${availableText}。`,
      citations: [],
      found: false,
    };

  const blocks: Block[] = [];
  const citations: Citation[] = [];
  const notes: string[] = [];
  const allFigures: Scored<ReportFigure>[] = [];
  const cite = (report: ReportOutline, path: string[], lines: [number, number]) => {
    const c = citation(report, path, lines);
    const same = (x: Citation) =>
      x.source === c.source && x.section === c.section && x.lines?.[0] === c.lines?.[0];
    if (!citations.some(same)) citations.push(c);
  };
  const addBlock = (block: Block) => {
    const existing = blocks.find((b) => b.report === block.report && b.label === block.label);
    if (!existing) {
      blocks.push(block);
      return;
    }
    existing.order = Math.min(existing.order, block.order);
    block.lines.forEach((line, i) => {
      if (existing.lines.includes(line)) return;
      existing.lines.push(line);
      existing.short.push(block.short[i] ?? line);
    });
  };
  const where =
    scope.kind === 'years'
      ? yearsText(inScope.map((r) => r.year!).filter((y, i, a) => a.indexOf(y) === i))
      : '';

  const showSection = (report: ReportOutline, matched: ReportSection, counted = true) => {
    // 第一条建议: the child the question counts to.
    const section =
      counted && parsed.ordinal !== undefined && matched.children[parsed.ordinal - 1]
        ? matched.children[parsed.ordinal - 1]!
        : matched;
    cite(report, section.path, [section.line, section.endLine]);
    const label = citeLabel(report, section.path);
    if (!section.children.length) {
      const body = sectionBody(report, section) || '（无内容）';
      const inline = section.none || body.length <= 20;
      addBlock({
        report,
        order: section.line,
        label: inline ? `${label}：${body}` : label,
        lines: inline ? [] : [body],
        short: inline ? [] : [firstSentence(body)],
      });
      return;
    }
    const count =
      parsed.wantsNumber || parsed.wantsSection ? `共${section.children.length}条：` : '';
    const child = (c: ReportSection, shorten: boolean) => {
      const body = sectionBody(report, c);
      if (!body) return c.heading;
      return `${c.heading}。${shorten ? firstSentence(body) : body}`;
    };
    addBlock({
      report,
      order: section.line,
      label: `${label}${count}`,
      lines: section.children.map((c) => child(c, false)),
      short: section.children.map((c) => child(c, true)),
    });
  };

  if (!parsed.facets.length) {
    // No topic: the part asked by number, each report's outline, or its figures.
    for (const report of inScope) {
      const part = parsed.ordinal !== undefined ? report.parts[parsed.ordinal - 1] : undefined;
      if (part) {
        showSection(report, part, false);
        continue;
      }
      if (parsed.wantsNumber && !parsed.wantsSection && report.figures.length) {
        for (const f of report.figures) {
          cite(report, f.path, [f.line, f.line]);
          const label = citeLabel(report, f.path);
          addBlock({
            report,
            order: f.line,
            label,
            lines: [`· ${f.text}`],
            short: [`· ${f.text}`],
          });
        }
        continue;
      }
      const lines = report.parts.map((p) => `· ${p.heading}${p.none ? '：无' : ''}`);
      for (const p of report.parts) cite(report, [p.heading], [p.line, p.endLine]);
      const label = `「${report.year ?? ''}年报告」${report.titleLines.join(' ')}\n共${report.parts.length}部分：`;
      addBlock({ report, order: 0, label, lines, short: lines });
    }
  }

  // Figures first: a number asked is answered before the measures around it.
  const ordered = [
    ...parsed.facets.filter((f) => f.number),
    ...parsed.facets.filter((f) => !f.number),
  ];
  for (const facet of ordered) {
    const result = answerFacet(facet, parsed, inScope);
    if (result.kind === 'missing') {
      const topic = result.topic ? `“${result.topic}”` : '这方面';
      const hint = result.related ? `（有相关表述但没有数字，可发送“查 ${result.topic}”查看）` : '';
      notes.push(
        result.number
          ? `${where}报告中没有找到${topic}的具体数字${hint}。`
          : `${where}报告中没有找到${topic}的相关内容。`,
      );
      continue;
    }
    if (result.kind === 'figures') {
      for (const { report, item } of result.items) {
        cite(report, item.path, [item.line, item.line]);
        const line = `· ${item.text}`;
        addBlock({
          report,
          order: -1000 + report.figures.indexOf(item),
          label: citeLabel(report, item.path),
          lines: [line],
          short: [line],
        });
      }
      allFigures.push(...result.items);
      continue;
    }
    if (result.kind === 'section') {
      for (const { report, item } of result.items) showSection(report, item);
      continue;
    }
    for (const { report, item } of result.items) {
      cite(report, item.path, [item.line, item.line]);
      addBlock({
        report,
        order: item.line + report.measures.indexOf(item) / 1000,
        label: citeLabel(report, item.path),
        lines: [`· ${trimMeasure(item.text, facet.terms)}`],
        short: [`· ${firstSentence(item.text)}`],
      });
    }
  }

  const found = blocks.length > 0;
  const head = missingYears.length
    ? [`没有找到${yearsText(missingYears)}的报告（现有：${availableText}）。`]
    : [];
  if (planned.length && found)
    head.push(`以下是${yearsText(planned.map((p) => p.year!))}报告中对下一年的安排：`);
  if (!found) {
    const text = [...head, ...notes].join('\n') || '报告中没有找到相关内容。';
    return { text, citations: [], found: false };
  }

  const compare = comparisonLines(allFigures);
  const render = (useShort: boolean) => {
    const out = [...head];
    for (const report of inScope) {
      const own = blocks.filter((b) => b.report === report).sort((a, b) => a.order - b.order);
      if (!own.length) continue;
      out.push(groupLabel(report));
      for (const b of own) out.push(b.label, ...(useShort ? b.short : b.lines));
    }
    out.push(...compare, ...notes);
    return out;
  };
  let lines = render(false);
  if (lines.join('\n').length > maxChars) lines = render(true);
  let text = lines.join('\n');
  if (text.length > maxChars) {
    const tail = '……（内容较多，未全部列出；可加年份或关键词缩小范围）';
    const kept: string[] = [];
    for (const line of lines) {
      if ([...kept, line, tail].join('\n').length > maxChars) break;
      kept.push(line);
    }
    text = [...kept, tail].join('\n');
  }
  return { text, citations, found };
}
