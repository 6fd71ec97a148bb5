import { parseChineseNumeral } from '../ingest/chinese-numerals.ts';

/**
 * Checks a drafted section against its notes: every figure of the notes is in the draft
 * verbatim, and the draft has no figure that is in neither the notes nor a source.
 */

// Measure words and units that follow a count in these reports, longest first.
const UNITS = [
  '平方米',
  '立方米',
  '人次',
  '场次',
  '户次',
  '件次',
  '公里',
  '小时',
  '个村',
  '个',
  '场',
  '次',
  '份',
  '起',
  '件',
  '人',
  '名',
  '户',
  '家',
  '元',
  '期',
  '篇',
  '条',
  '项',
  '处',
  '所',
  '天',
  '宗',
  '批',
  '套',
  '本',
  '册',
  '张',
  '幅',
  '块',
  '亩',
  '米',
  '吨',
  '村',
  '支',
  '座',
  '台',
  '辆',
  '节',
  '课',
  '堂',
  '年',
  '月',
  '日',
  '号',
  '岁',
  '倍',
  '轮',
  '组',
  '类',
  '位',
  '单',
  '封',
  '部',
  '种',
];

const FIGURE = new RegExp(
  String.raw`\d+(?:[.,]\d+)*(?:\s*[%‰])?(?:余|多)?(?:[万亿千百](?!分))?(?:余|多)?(?:${UNITS.join('|')})?`,
  'gu',
);

export interface Figure {
  /** As written: "2000余份", "95%", "1.5万元". */
  text: string;
  /** What the number says, without its unit or 余/多: "2000", "95%", "1.5万". */
  value: string;
}

function halfWidth(text: string): string {
  return text.replace(/[０-９％．]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Outline numbers and the plan year in 五's heading are not figures. */
function withoutOutline(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*五、\d{4}年(?=推进)/u, '五、')
        .replace(/^\s*(?:[（(]\s*\d{1,2}\s*[)）]|\d{1,2}[.．、](?!\d))/u, ''),
    )
    .join('\n');
}

/** The figures in a text: Arabic numbers with what follows them (余/多, 万, %, a unit). */
export function findFigures(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const m of halfWidth(withoutOutline(text)).matchAll(FIGURE)) {
    const written = m[0].replace(/\s+/gu, '');
    const value = written
      .replace(new RegExp(`(?:${UNITS.join('|')})$`, 'u'), '')
      .replace(/[余多]/gu, '');
    figures.push({ text: written, value });
  }
  return figures;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

function containsFigure(haystack: string, figure: string): boolean {
  return new RegExp(`(?<![\\d.,])${escape(figure)}(?![\\d])`, 'u').test(haystack);
}

export interface NumberCheck {
  /** Figures of the notes the draft lacks, as written in the notes ("2000余份"). */
  missingFromDraft: string[];
  /** Figures of the draft found in neither the notes nor the sources. */
  invented: string[];
}

/**
 * Every figure of the notes must appear in the draft as written (number, 余/多 and unit), and
 * every number in the draft must occur in the notes or in one of the sources. The outline
 * numbering (一、（一）（1）一是) and the year in 五's heading are ignored.
 */
export function checkDraftNumbers(
  notes: string,
  draft: string,
  sources: readonly string[] = [],
): NumberCheck {
  const draftText = halfWidth(withoutOutline(draft)).replace(/\s+/gu, '');
  const missingFromDraft = new Set<string>();
  for (const figure of findFigures(notes)) {
    if (!containsFigure(draftText, figure.text)) missingFromDraft.add(figure.text);
  }
  const known = new Set([notes, ...sources].flatMap((t) => findFigures(t).map((f) => f.value)));
  const invented = new Set<string>();
  for (const figure of findFigures(draft)) {
    if (!known.has(figure.value)) invented.add(figure.text);
  }
  return { missingFromDraft: [...missingFromDraft], invented: [...invented] };
}

/**
 * Numbering problems in a drafted part: sub-headings （一）（二）… and （1）（2）… in order, and
 * 一是、二是… in order within each paragraph. Empty when the outline is valid.
 */
export function checkDraftOutline(draft: string): string[] {
  const problems: string[] = [];
  const value = parseChineseNumeral;
  let expectedPart = 0;
  let expectedSub = 1;
  let expectedArabic = 1;
  for (const line of draft.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const part = /^([一二三四五六七])、/u.exec(line);
    if (part) {
      const n = value(part[1]!);
      if (expectedPart && n !== expectedPart + 1)
        problems.push(`part ${part[1]}、 follows part ${expectedPart}`);
      expectedPart = n;
      expectedSub = 1;
      expectedArabic = 1;
      continue;
    }
    const sub = /^（([一二三四五六七八九十]+)）/u.exec(line);
    if (sub) {
      if (value(sub[1]!) !== expectedSub)
        problems.push(`（${sub[1]}） where （${expectedSub}） was due`);
      expectedSub = value(sub[1]!) + 1;
    }
    const arabic = /^（(\d+)）/u.exec(line);
    if (arabic) {
      if (Number(arabic[1]) !== expectedArabic)
        problems.push(`（${arabic[1]}） where （${expectedArabic}） was due`);
      expectedArabic = Number(arabic[1]) + 1;
    }
    const items = [...line.matchAll(/(?:^|[。；：:）])\s*([一二三四五六七八九十]+)是/gu)].map((m) =>
      value(m[1]!),
    );
    items.forEach((n, i) => {
      if (n !== i + 1) problems.push(`item ${n}是 out of order in “${line.slice(0, 20)}…”`);
    });
  }
  return problems;
}
