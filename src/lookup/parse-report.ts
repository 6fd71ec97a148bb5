import type { Audience, SourceDocument } from '../ingest/types.ts';

/** One numbered heading of a report (一、 > （一） > （1）) and what sits under it. */
export interface ReportSection {
  /** The numbering as written: 一、, （一）, （1）. */
  number: string;
  /** The heading as cited, whitespace collapsed: "（一）强化组织领导，完善工作机制". */
  heading: string;
  /** 1 = part (一、), 2 = sub-part, 3 = sub-sub-part. */
  level: number;
  /** Headings from the part down to this one. */
  path: string[];
  /** First and last line of the section (heading line to the line before the next heading). */
  line: number;
  endLine: number;
  /** True when the whole content is 无 (e.g. 四、履行法院生效裁判情况 with nothing to report). */
  none: boolean;
  children: ReportSection[];
}

/** A sentence, or a 一是/二是 item, under its section. */
export interface ReportMeasure {
  /** Verbatim from the report (trimmed). */
  text: string;
  /** The 一是/二是 label when the measure is such an item. */
  item?: string;
  path: string[];
  line: number;
  year?: number;
}

/** A counted figure: "累计执法43次" -> value 43, unit 次, what 执法. */
export interface ReportFigure {
  /** Verbatim: "43", "3000余", "60余". */
  value: string;
  unit: string;
  /** What was counted, verbatim: "执法", "发放各类宣传材料". */
  what: string;
  /** The counting phrase verbatim: "累计执法43次". */
  text: string;
  /** The sentence the figure stands in (for matching a question against its context). */
  sentence: string;
  path: string[];
  line: number;
  year?: number;
}

export interface ReportOutline {
  source: string;
  title: string;
  audience: Audience;
  /** From the heading lines: 沁县松村镇. */
  town?: string;
  year?: number;
  /** The lines above the intro: issuing organs, title, addressee. */
  titleLines: string[];
  /** The paragraph(s) between the addressee and the first part. */
  intro: { text: string; line: number }[];
  parts: ReportSection[];
  measures: ReportMeasure[];
  figures: ReportFigure[];
}

const HEADING_LEVELS: RegExp[] = [
  /^[一二三四五六七八九十]+、/u,
  /^[（(][一二三四五六七八九十]+[）)]/u,
  /^[（(]\d+[）)]/u,
];
const ITEM_START = /(?:^|(?<=[。；;：:]))\s*(?=[一二三四五六七八九十]+是)/u;
const ITEM_LABEL = /^([一二三四五六七八九十]+是)/u;
const MAX_HEADING_CHARS = 40;
const NONE = /^无[。.]?$/u;

const clean = (line: string) => line.replace(/\u3000/gu, ' ').trim();
const collapse = (text: string) => text.replace(/\s+/gu, ' ').trim();

function headingLevel(line: string): number {
  return HEADING_LEVELS.findIndex((pattern) => pattern.test(line));
}

/** "（二）强化依法执政，提升法治意识。一是…" -> heading, body (as in the report splitter). */
function splitHeadingLine(line: string): { heading: string; body: string } {
  const stop = line.search(/[。：:]/u);
  if (stop === -1) return { heading: line, body: '' };
  if (stop > MAX_HEADING_CHARS) {
    const comma = line.search(/[，,]/u);
    return {
      heading: comma > 0 ? line.slice(0, comma) : line.slice(0, MAX_HEADING_CHARS),
      body: line,
    };
  }
  return { heading: line.slice(0, stop), body: line.slice(stop + 1).trim() };
}

/** Splits a paragraph into measures: 一是/二是 items whole, other text by sentence. */
export function splitMeasures(body: string): { text: string; item?: string }[] {
  const out: { text: string; item?: string }[] = [];
  for (const piece of body.split(ITEM_START)) {
    const trimmed = piece.trim();
    if (!trimmed) continue;
    const label = ITEM_LABEL.exec(trimmed)?.[1];
    if (label) {
      out.push({ text: trimmed, item: label });
      continue;
    }
    for (const sentence of trimmed.split(/(?<=[。！？!?])/u)) {
      const s = sentence.trim();
      if (s) out.push({ text: s });
    }
  }
  return out;
}

// ---- figures ----------------------------------------------------------------------------

// Longest first, so 人次 wins over 人 and 万元 over 元.
const UNITS =
  '平方米 人次 场次 户次 件次 万元 亿元 公里 小时 元 次 份 起 件 人 场 个 户 期 家 名 条 篇 项 处 宗 批 台 辆 亩 米 吨 所 本 册 张 幅 天 % ％'.split(
    ' ',
  );
const UNIT_PATTERN = UNITS.join('|');
const FIGURE = new RegExp(
  `(?<![\\d.０-９第])((?:近|约|逾|超过)?[0-9０-９]+(?:\\.[0-9０-９]+)?(?:万|千)?(?:余|多)?)(${UNIT_PATTERN})`,
  'gu',
);
const CLAUSE_BREAK = /[，,。；;：:、！？!?（）()]/u;
// Words before what was counted that are not part of it: time, 一是, 其中.
const LEADING_TIME =
  /^(?:[一二三四五六七八九十]+是|今年以来|今年|全年|年内|本年度|截至目前|目前|同时|此外|其中|上半年|下半年|[0-9]{4}年(?:以来|度)?)[，,]?/u;
// 累计/共 start the counting phrase: kept in `text`, not in `what`.
const COUNT_ADVERB = /累计|共计|合计|总计|先后|(?<!公)共(?![同享建治管产性识])/gu;
// "组织干部开展学习12次": the organiser is not what was counted.
const ORGANISER = /^(?:组织|带领|动员|邀请|联合|协调|依托)\S*?(?=开展|举办|召开|进行)/u;

function lastBreak(text: string, end: number): number {
  for (let i = end - 1; i >= 0; i--) if (CLAUSE_BREAK.test(text[i]!)) return i;
  return -1;
}

/** "今年累计执法" -> text 累计执法, what 执法: time words and the organiser dropped. */
function countedPhrase(clause: string): { text: string; what: string } {
  let lead = 0;
  for (let m = LEADING_TIME.exec(clause); m && m[0]; m = LEADING_TIME.exec(clause.slice(lead)))
    lead += m[0].length;
  let textStart = lead;
  let whatStart = lead;
  const adverbs = [...clause.slice(lead).matchAll(COUNT_ADVERB)];
  const adverb = adverbs[adverbs.length - 1];
  if (adverb) {
    textStart = lead + adverb.index;
    whatStart = textStart + adverb[0].length;
  } else {
    const organiser = ORGANISER.exec(clause.slice(lead));
    if (organiser) textStart = whatStart = lead + organiser[0].length;
  }
  return {
    text: clause.slice(textStart).trim(),
    what: clause.slice(whatStart).replace(/了$/u, '').trim(),
  };
}

/** Figures in one measure, with the phrase that says what was counted. */
export function extractFigures(text: string): Omit<ReportFigure, 'path' | 'line' | 'year'>[] {
  const figures: Omit<ReportFigure, 'path' | 'line' | 'year'>[] = [];
  const sentences = text.split(/(?<=[。；;！？!?])/u);
  for (const sentence of sentences) {
    for (const match of sentence.matchAll(FIGURE)) {
      const start = match.index;
      const clauseStart = lastBreak(sentence, start) + 1;
      const clause = sentence.slice(clauseStart, start);
      let { text: counted, what } = countedPhrase(clause);
      // "开展送法下乡，共计5次": this clause only counts, the one before says what.
      if (clause.trim() && !what && clauseStart > 0) {
        const before = sentence.slice(lastBreak(sentence, clauseStart - 1) + 1, clauseStart - 1);
        const previous = countedPhrase(before);
        if (previous.what) {
          what = previous.what;
          counted = previous.text + sentence[clauseStart - 1] + clause;
        }
      }
      figures.push({
        value: match[1]!,
        unit: match[2]!,
        what,
        text: counted + match[0],
        sentence: sentence.trim(),
      });
    }
  }
  return figures;
}

// ---- town and year ----------------------------------------------------------------------

const TOWN_LINE =
  /^(?:中共|中国共产党)?(.{2,16}?(?:镇|乡|街道))(?:党委|党工委|人民政府|政府|办事处|委员会)?$/u;
const TOWN_IN_TITLE = /([\p{Script=Han}]{2,12}?(?:镇|乡|街道))(?:人民政府|政府|党委)?关于/u;

function guessTown(lines: string[], title: string): string | undefined {
  for (const line of lines) {
    const match = TOWN_LINE.exec(line.replace(/\s/gu, ''));
    if (match) return match[1];
  }
  return TOWN_IN_TITLE.exec(title)?.[1];
}

function guessYear(lines: string[], fallback?: number): number | undefined {
  for (const line of lines) {
    const match = /关于\s*(\d{4})\s*年/u.exec(line) ?? /(\d{4})\s*年度?.*报告$/u.exec(line);
    if (match) return Number(match[1]);
  }
  return fallback;
}

/**
 * Parses a township annual 法治政府建设 report into its outline: parts and sub-parts with line
 * numbers, the measures under each, the figures in them, and the parts that say only 无.
 */
export function parseReport(doc: SourceDocument, firstLine = 1): ReportOutline {
  const lines = doc.text.split('\n');
  const parts: ReportSection[] = [];
  const measures: ReportMeasure[] = [];
  const figures: ReportFigure[] = [];
  const titleLines: string[] = [];
  const intro: { text: string; line: number }[] = [];
  const stack: ReportSection[] = [];
  // Non-empty content lines per section, to decide which parts say only 无.
  const content = new Map<ReportSection, string[]>();
  let titleDone = false;
  let lastLine = firstLine;

  const addBody = (body: string, lineNo: number) => {
    const section = stack[stack.length - 1];
    if (!section) return;
    content.get(section)!.push(body);
    const path = [...section.path];
    for (const measure of splitMeasures(body)) {
      measures.push({
        text: measure.text,
        ...(measure.item && { item: measure.item }),
        path,
        line: lineNo,
        ...(doc.year !== undefined && { year: doc.year }),
      });
      for (const figure of extractFigures(measure.text))
        figures.push({ ...figure, path, line: lineNo });
    }
  };

  lines.forEach((raw, index) => {
    const lineNo = firstLine + index;
    const line = clean(raw);
    if (!line) return;
    lastLine = lineNo;
    const level = headingLevel(line);
    if (level === -1 || (level > 0 && !stack.length)) {
      if (stack.length) addBody(line, lineNo);
      else if (!titleDone) {
        titleLines.push(line);
        if (/报告$/u.test(line) || titleLines.length >= 6) titleDone = true;
      } else if (!intro.length && line.length <= 30 && /[：:]$/u.test(line)) {
        titleLines.push(line); // the addressee, e.g. 县委、县政府：
      } else intro.push({ text: line, line: lineNo });
      return;
    }
    titleDone = true;
    const { heading, body } = splitHeadingLine(line);
    const number = HEADING_LEVELS[level]!.exec(line)![0];
    // Depth follows nesting, not the numbering style: （1） directly under 三、 is a sub-part.
    while (stack.length && headingLevel(stack[stack.length - 1]!.number) >= level) stack.pop();
    const parent = stack[stack.length - 1];
    const text = collapse(heading);
    const section: ReportSection = {
      number,
      heading: text,
      level: stack.length + 1,
      path: [...(parent?.path ?? []), text],
      line: lineNo,
      endLine: lineNo,
      none: false,
      children: [],
    };
    content.set(section, []);
    (parent ? parent.children : parts).push(section);
    stack.push(section);
    for (const figure of extractFigures(text.slice(number.length)))
      figures.push({ ...figure, path: section.path, line: lineNo });
    if (body) addBody(body, lineNo);
  });

  // End lines: a section runs to the line before the next section at its level or above.
  const close = (sections: ReportSection[], end: number) => {
    sections.forEach((section, i) => {
      section.endLine = i + 1 < sections.length ? sections[i + 1]!.line - 1 : end;
      while (section.endLine > section.line && !clean(lines[section.endLine - firstLine] ?? ''))
        section.endLine--;
      close(section.children, section.endLine);
      const own = content.get(section) ?? [];
      section.none = !section.children.length && own.length > 0 && own.every((l) => NONE.test(l));
    });
  };
  close(parts, lastLine);

  const year = guessYear(titleLines, doc.year) ?? doc.year;
  const town = guessTown(titleLines, doc.title);
  const withYear = <T extends { year?: number }>(items: T[]) =>
    year === undefined ? items : items.map((item) => ({ ...item, year }));
  return {
    source: doc.source,
    title: doc.title,
    audience: doc.audience,
    ...(town && { town }),
    ...(year !== undefined && { year }),
    titleLines,
    intro,
    parts,
    measures: withYear(measures),
    figures: withYear(figures),
  };
}

/** Every section of an outline, depth first in document order. */
export function allSections(outline: ReportOutline): ReportSection[] {
  const out: ReportSection[] = [];
  const walk = (sections: ReportSection[]) => {
    for (const s of sections) {
      out.push(s);
      walk(s.children);
    }
  };
  walk(outline.parts);
  return out;
}
