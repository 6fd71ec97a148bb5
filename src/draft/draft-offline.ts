import {
  partByNumber,
  partHeading,
  recognizeSection,
  REPORT_PARTS,
  type ReportPart,
} from './report-parts.ts';

/** A drafted part (or report): the text ready to paste, and what staff still have to supply. */
export interface Draft {
  /** Starts with the part heading ("二、存在的不足和原因"). */
  text: string;
  /** Each 【待补充：…】 in the text, said in words ("四、履行法院生效裁判情况：…"). */
  missing: string[];
}

export interface DraftOptions {
  /** The year reported on; part 五 plans for the year after. Without it 五 says 【待补充：年份】. */
  reportYear?: number;
}

// ---------------------------------------------------------------------------------------------
// Notes -> items

const CHINESE_NUMERALS = '一二三四五六七八九十';
const BULLET =
  /^\s*(?:[-–—•·*＊●○◆■□▪►]+|\d{1,2}\s*[.．、)）](?!\d)|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\s*/u;

// Colloquial -> official, only where the meaning is the same.
const PHRASING: [RegExp, string][] = [
  [/老百姓/gu, '群众'],
  [/搞了/gu, '开展了'],
  [/(?:咱们|咱|我们)镇/gu, '我镇'],
  [/(?:咱们|我们)村/gu, '各村'],
];

/** Half-width punctuation between Chinese words becomes full-width; figures are not touched. */
function fullWidthPunctuation(text: string): string {
  return text
    .replace(/(?<!\d),|,(?!\d)/gu, '，')
    .replace(/;/gu, '；')
    .replace(/(?<!\d):|:(?!\d)/gu, '：')
    .replace(/\?/gu, '？')
    .replace(/(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff，。；：])/gu, '');
}

function cleanNote(raw: string): string {
  let note = raw.trim();
  // Bullets can repeat ("- 1. …"); strip them all.
  for (let i = 0; i < 3; i++) {
    const stripped = note.replace(BULLET, '');
    if (stripped === note) break;
    note = stripped;
  }
  note = fullWidthPunctuation(note.replace(/\u3000/gu, ' ').trim());
  for (const [pattern, official] of PHRASING) note = note.replace(pattern, official);
  return note.replace(/^[，。；：、\s]+|[，。；：、.\s]+$/gu, '');
}

/** Lines, bullets and ；-separated halves of the notes, each cleaned; blanks dropped. */
export function splitNotes(notes: string): string[] {
  return notes
    .split(/\r?\n/u)
    .flatMap((line) => line.split(/[；;]/u))
    .map(cleanNote)
    .filter((n) => n.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Topics

interface Topic {
  key: string;
  words: readonly string[];
  /** Heading for what was done (parts 一, 三) and for plans and suggestions (五, 六). */
  done: string;
  plan: string;
}

// Order matters on ties: "执法人员培训" is about training.
const TOPICS: readonly Topic[] = [
  {
    key: 'leadership',
    words: [
      '组织领导',
      '领导小组',
      '党委',
      '党政主要负责人',
      '主要负责人',
      '第一责任人',
      '责任清单',
      '专题研究',
      '研究部署',
      '统筹',
      '述法',
      '考核',
      '依法治镇',
    ],
    done: '强化组织领导，压实法治建设责任',
    plan: '加强组织领导，压实法治建设责任',
  },
  {
    key: 'study',
    words: ['学法', '培训', '学习', '中心组', '讲座', '考试', '法律知识', '法治思想'],
    done: '强化学法用法，提升依法行政能力',
    plan: '深化学法用法，提升依法行政能力',
  },
  {
    key: 'publicity',
    words: [
      '普法',
      '宣传',
      '宣讲',
      '资料',
      '材料',
      '法治教育',
      '进校园',
      '进学校',
      '进农村',
      '宪法日',
      '以案释法',
      '法治文化',
      '法律明白人',
      '横幅',
      '展板',
      '阵地',
    ],
    done: '强化法治宣传，营造良好氛围',
    plan: '加大法治宣传力度，营造浓厚法治氛围',
  },
  {
    key: 'enforcement',
    words: [
      '执法',
      '检查',
      '整治',
      '处罚',
      '私挖滥采',
      '巡查',
      '安全生产',
      '护林防火',
      '防火',
      '环境',
      '文书',
      '查处',
      '违法',
      '违建',
      '乱堆乱放',
    ],
    done: '规范行政执法，推进严格公正文明执法',
    plan: '规范行政执法行为，提升执法水平',
  },
  {
    key: 'disputes',
    words: [
      '纠纷',
      '调解',
      '信访',
      '上访',
      '接访',
      '矛盾',
      '排查',
      '化解',
      '调处',
      '网格',
      '维稳',
      '稳定',
    ],
    done: '强化依法治理，化解矛盾纠纷',
    plan: '健全多元解纷机制，维护社会和谐稳定',
  },
  {
    key: 'legalService',
    words: ['法律顾问', '法律援助', '法律服务', '法律咨询'],
    done: '完善公共法律服务，提升服务水平',
    plan: '健全公共法律服务体系，提升服务效能',
  },
  {
    key: 'system',
    words: ['制度', '机制', '合法性审查', '规范性文件', '政务公开', '公开', '决策', '监督', '权力'],
    done: '健全制度机制，规范权力运行',
    plan: '完善制度机制，强化权力监督',
  },
  {
    key: 'team',
    words: ['队伍', '人才', '人员', '专业', '力量', '素质', '编制', '业务能力'],
    done: '加强队伍建设，提升履职能力',
    plan: '加强法治队伍建设，提升履职能力',
  },
];

function topicHits(text: string): Map<Topic, number> {
  const hits = new Map<Topic, number>();
  for (const topic of TOPICS) {
    const count = topic.words.filter((w) => text.includes(w)).length;
    if (count) hits.set(topic, count);
  }
  return hits;
}

function topicOf(text: string): Topic | undefined {
  let best: Topic | undefined;
  let bestCount = 0;
  for (const [topic, count] of topicHits(text)) {
    if (count > bestCount) {
      best = topic;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Splits one note at ，/, where a half sentence turns to another topic ("普法15场，调解纠纷38起"),
 * keeping halves that carry on the same measure ("调解纠纷38起，成功率95%") together.
 */
function splitByTopic(note: string): string[] {
  const halves = note.split(/，(?!\d)/u);
  const pieces: { text: string; topic?: Topic }[] = [];
  for (const half of halves) {
    const topic = topicOf(half);
    const last = pieces[pieces.length - 1];
    if (last && (!topic || !last.topic || topic === last.topic)) {
      last.text += `，${half}`;
      last.topic ??= topic;
    } else {
      pieces.push({ text: half, ...(topic && { topic }) });
    }
  }
  return pieces.map((p) => p.text);
}

// ---------------------------------------------------------------------------------------------
// Past reports' sub-headings

interface ExampleSection {
  heading: string;
  body: string;
  topics: Set<Topic>;
  headingTopics: Set<Topic>;
}

const SUB_HEADING = /^[（(]\s*(?:[一二三四五六七八九十]+|\d{1,2})\s*[)）]\s*/u;

/** "（二）强化依法执政，提升法治意识。一是…" -> heading and body; a heading alone takes the next line. */
export function parseExampleSections(examples: readonly string[]): ExampleSection[] {
  const sections: { heading: string; body: string }[] = [];
  for (const example of examples) {
    for (const raw of example.split(/\n/u)) {
      // A retrieved passage may carry its section path: "一、… > （二）… > 一是…".
      const segments = raw.split(' > ').map((s) => s.trim());
      let headingIndex = -1;
      segments.forEach((s, i) => {
        if (SUB_HEADING.test(s)) headingIndex = i;
      });
      const line = headingIndex >= 0 ? segments.slice(headingIndex).join('') : raw.trim();
      if (!line) continue;
      if (SUB_HEADING.test(line)) {
        const rest = line.replace(SUB_HEADING, '');
        const stop = rest.search(/[。：:]/u);
        const heading = (stop === -1 ? rest : rest.slice(0, stop)).trim();
        const body = stop === -1 ? '' : rest.slice(stop + 1).trim();
        if (heading.length >= 4 && heading.length <= 40) sections.push({ heading, body });
        continue;
      }
      const last = sections[sections.length - 1];
      if (last) last.body += line;
    }
  }
  return sections.map(({ heading, body }) => {
    const headingTopics = new Set(topicHits(heading).keys());
    const topics = new Set(headingTopics);
    for (const [topic, count] of topicHits(body)) if (count >= 2) topics.add(topic);
    return { heading, body, topics, headingTopics };
  });
}

function bigrams(text: string): Set<string> {
  const chars = [...text.replace(/[^\u4e00-\u9fff]/gu, '')];
  const set = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) set.add(chars[i]! + chars[i + 1]!);
  return set;
}

function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (!x.size) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / x.size;
}

// ---------------------------------------------------------------------------------------------
// Phrasing

// A note that starts with an activity and then its count reads as an official sentence with
// a verb in front ("普法宣传15场" -> "开展普法宣传15场"); nothing else is added.
const NEEDS_KAIZHAN =
  /^(?:普法宣传|法治宣传|宣传活动|普法活动|法治讲座|专题讲座|讲座|专题培训|培训|执法检查|安全检查|检查|巡查|排查|专题学习|集中学法|学法活动)(?:活动)?(?=\d)/u;
const NEEDS_FAFANG = /^(?:宣传资料|宣传材料|资料|宣传册|宣传单|传单)(?=\d)/u;

function officialItem(note: string, part: ReportPart): string {
  if (part.number !== 1 && part.number !== 3) return note;
  if (NEEDS_KAIZHAN.test(note)) return `开展${note}`;
  if (NEEDS_FAFANG.test(note)) return `发放${note}`;
  return note;
}

/** 一是…；二是…。 (。 between items when an item is itself several sentences). */
function enumerate(items: readonly string[]): string {
  if (items.length === 1) return `${items[0]}。`;
  const separator = items.some((i) => i.includes('。')) ? '。' : '；';
  return items.map((item, i) => `${numeral(i + 1)}是${item}`).join(separator) + '。';
}

/** 1 -> 一, 12 -> 十二, 23 -> 二十三 (outline numbers never use digits: they are not figures). */
function numeral(n: number): string {
  const digit = (d: number) => CHINESE_NUMERALS[d - 1] ?? '';
  if (n <= 10) return digit(n);
  const tens = Math.floor(n / 10);
  return `${tens > 1 ? digit(tens) : ''}十${digit(n % 10)}`;
}

// ---------------------------------------------------------------------------------------------
// Drafting

const NONE = /^(?:无|没有|暂无|无此情况|无相关情况|本年度无|今年无)$/u;
const REASON_WORDS = /原因|由于|因为|导致|受.{1,10}影响|主要是/u;

function missingLine(part: ReportPart, what: string): string {
  return `${part.numeral}、${part.short}：${what}`;
}

interface Group {
  topic?: Topic;
  items: string[];
}

function groupByTopic(items: readonly string[]): Group[] {
  const topics = items.map(topicOf);
  // A note with no topic words goes with the note before it (notes are usually written in
  // runs), or with the next one when it comes first.
  const resolved = topics.map((t, i) => t ?? topics.slice(0, i).reverse().find(Boolean));
  const firstKnown = topics.find(Boolean);
  const groups: Group[] = [];
  items.forEach((item, i) => {
    const topic = resolved[i] ?? firstKnown;
    const group = groups.find((g) => g.topic === topic);
    if (group) group.items.push(item);
    else groups.push({ items: [item], ...(topic && { topic }) });
  });
  return groups;
}

function chooseHeadings(
  groups: readonly Group[],
  examples: readonly string[],
  plan: boolean,
): (string | undefined)[] {
  const sections = parseExampleSections(examples);
  const pairs: { group: number; section: number; score: number }[] = [];
  groups.forEach((group, g) => {
    if (!group.topic) return;
    const text = group.items.join('');
    sections.forEach((section, s) => {
      if (!section.topics.has(group.topic!)) return;
      const score =
        (section.headingTopics.has(group.topic!) ? 1 : 0) +
        similarity(text, section.heading + section.body);
      pairs.push({ group: g, section: s, score });
    });
  });
  pairs.sort((a, b) => b.score - a.score || a.section - b.section);
  const chosen: (string | undefined)[] = groups.map(() => undefined);
  const used = new Set<number>();
  for (const { group, section } of pairs) {
    if (chosen[group] !== undefined || used.has(section)) continue;
    chosen[group] = sections[section]!.heading;
    used.add(section);
  }
  return groups.map((group, g) => {
    if (chosen[g]) return chosen[g];
    if (!group.topic) return undefined;
    return plan ? group.topic.plan : group.topic.done;
  });
}

function draftHeaded(part: ReportPart, notes: string[], examples: readonly string[]) {
  const missing: string[] = [];
  const items = notes.flatMap(splitByTopic).map((n) => officialItem(n, part));
  const groups = groupByTopic(items);
  const headings = chooseHeadings(groups, examples, part.number >= 5);
  const lines: string[] = [];
  groups.forEach((group, i) => {
    let heading = headings[i];
    if (!heading) {
      heading = '【待补充：小标题】';
      missing.push(missingLine(part, '小标题（笔记里看不出归哪类工作）'));
    }
    const body = enumerate(group.items);
    if (part.layout === 'headed-own-line') {
      lines.push(`（${i + 1}）${heading}`, body);
    } else {
      lines.push(`（${numeral(i + 1)}）${heading}。${body}`);
    }
  });
  return { lines, missing };
}

/**
 * Drafts one part of the annual report from rough notes, offline and by rule: notes grouped by
 * topic under sub-headings the town's past reports used for the closest measures (from
 * `examples`, paragraphs of past reports; generic ones otherwise), each note an 一是/二是 item.
 * Figures are kept verbatim and none is added; what is missing is marked 【待补充：…】.
 */
export function draftSection(
  part: ReportPart,
  notes: string,
  examples: readonly string[] = [],
  options: DraftOptions = {},
): Draft {
  const heading = partHeading(part, options.reportYear && options.reportYear + 1);
  const missing: string[] = [];
  if (part.number === 5 && !options.reportYear) missing.push(missingLine(part, '计划的年份'));
  const items = splitNotes(notes);
  if (!items.length) {
    missing.push(missingLine(part, part.hint));
    return { text: `${heading}\n【待补充：${part.hint}】`, missing };
  }

  let lines: string[];
  switch (part.layout) {
    case 'statement': {
      if (items.length === 1 && NONE.test(items[0]!)) {
        lines = [part.number === 4 ? '无' : '无。'];
      } else {
        lines = [items.map((i) => `${i}。`).join('')];
      }
      break;
    }
    case 'items': {
      lines = [enumerate(items)];
      if (part.number === 2 && !items.some((i) => REASON_WORDS.test(i))) {
        lines.push('【待补充：不足的原因】');
        missing.push(missingLine(part, '不足的原因（笔记只写了不足）'));
      }
      break;
    }
    default: {
      const headed = draftHeaded(part, items, examples);
      lines = headed.lines;
      missing.push(...headed.missing);
    }
  }
  return { text: [heading, ...lines].join('\n'), missing };
}

// ---------------------------------------------------------------------------------------------
// The whole report

export interface NotesByPart {
  /** Notes per part number (1 to 7). */
  byPart: Map<number, string>;
  /** Lines before the first part marker. */
  unassigned: string[];
}

const PART_MARKER =
  /^[#\s]*(?:【\s*(.+?)\s*】|第([一二三四五六七])部分[：:]?\s*(.*)|([一二三四五六七])、\s*(.*))$/u;

function markerPart(line: string): ReportPart | undefined {
  const m = PART_MARKER.exec(line.trim());
  if (m) {
    const [, bracketed, ordinal, ordinalRest, numeralOnly, rest] = m;
    const numeralText = ordinal ?? numeralOnly;
    const words = (bracketed ?? ordinalRest ?? rest ?? '').replace(/[：:]$/u, '').trim();
    if (!numeralText) return recognizeQuietly(words);
    const part = partByNumber('一二三四五六七'.indexOf(numeralText) + 1);
    // "一、普法宣传15场" is a note numbered 一、, not the start of part 一.
    if (!words) return part;
    return recognizeQuietly(`${numeralText}、${words}`) === part ? part : undefined;
  }
  // "存在的不足：" alone on a line.
  const label = /^(.{2,24})[：:]$/u.exec(line.trim());
  return label ? recognizeQuietly(label[1]!) : undefined;
}

function recognizeQuietly(words: string): ReportPart | undefined {
  if (!words || /\d/u.test(words.replace(/^.、\d{4}年/u, ''))) return undefined;
  try {
    const part = recognizeSection(words);
    return part === 'all' ? undefined : part;
  } catch {
    return undefined;
  }
}

/** Splits notes written for the whole report at lines that name a part ("二、", "【存在的不足】", "第四部分"). */
export function splitNotesByPart(notes: string): NotesByPart {
  const byPart = new Map<number, string>();
  const unassigned: string[] = [];
  let current: ReportPart | undefined;
  for (const line of notes.split(/\r?\n/u)) {
    const part = markerPart(line);
    if (part) {
      current = part;
      if (!byPart.has(part.number)) byPart.set(part.number, '');
      continue;
    }
    if (!line.trim()) continue;
    if (current) byPart.set(current.number, `${byPart.get(current.number)}${line}\n`);
    else unassigned.push(line.trim());
  }
  return { byPart, unassigned };
}

export interface FullDraft extends Draft {
  parts: { part: ReportPart; draft: Draft }[];
  /** Parts the notes say nothing about, in order. */
  missingParts: ReportPart[];
  /** Note lines before the first part marker (not drafted). */
  unassigned: string[];
}

export const OPENING_PLACEHOLDER =
  '【待补充：主送机关和开头段，如“县委、县政府：”“……现将我镇法治政府建设情况报告如下：”】';

/** Joins drafted parts into the report body (the title is separate: see reportTitle). */
export function assembleReport(
  parts: { part: ReportPart; draft: Draft }[],
  notes: NotesByPart,
): FullDraft {
  const missingParts = parts
    .filter(({ part }) => !(notes.byPart.get(part.number) ?? '').trim())
    .map(({ part }) => part);
  const missing = [
    '开头：主送机关和开头段',
    ...parts.flatMap(({ draft }) => draft.missing),
    ...(notes.unassigned.length
      ? [`有${notes.unassigned.length}行笔记没有标明属于哪一部分（在前面加一行“一、”“二、”…）`]
      : []),
  ];
  return {
    text: [OPENING_PLACEHOLDER, ...parts.map(({ draft }) => draft.text)].join('\n'),
    missing,
    parts,
    missingParts,
    unassigned: notes.unassigned,
  };
}

/** "关于2024年法治政府建设情况的报告". */
export function reportTitle(reportYear?: number): string {
  return `关于${reportYear ?? '【待补充：年份】'}年法治政府建设情况的报告`;
}

/**
 * Drafts all seven parts from notes grouped by part (a map, or raw notes with lines such as
 * "二、" or "【存在的不足】" before each group) and says which parts the notes leave out.
 */
export function draftFullReport(
  notes: string | NotesByPart | Partial<Record<number, string>>,
  examplesFor: (part: ReportPart) => readonly string[] = () => [],
  options: DraftOptions = {},
): FullDraft {
  const split = toNotesByPart(notes);
  const parts = REPORT_PARTS.map((part) => ({
    part,
    draft: draftSection(part, split.byPart.get(part.number) ?? '', examplesFor(part), options),
  }));
  return assembleReport(parts, split);
}

export function toNotesByPart(
  notes: string | NotesByPart | Partial<Record<number, string>>,
): NotesByPart {
  if (typeof notes === 'string') return splitNotesByPart(notes);
  if ('byPart' in notes && notes.byPart instanceof Map) return notes as NotesByPart;
  const byPart = new Map<number, string>();
  for (const [key, value] of Object.entries(notes as Record<string, string | undefined>)) {
    if (value !== undefined) byPart.set(Number(key), value);
  }
  return { byPart, unassigned: [] };
}
