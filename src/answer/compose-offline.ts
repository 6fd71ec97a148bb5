import { normalizeText } from '../index/tokenize.ts';
import { splitSentences } from '../ingest/split-passage.ts';
import type { Passage } from '../retrieve/hybrid-search.ts';
import { findCitedArticles } from './cited-articles.ts';
import type { Citation } from './reply.ts';
import { DEFAULT_HELP, parseHelpList, phoneFor, type Service } from './services.ts';

export const DISCLAIMER = '提示：以上是法律信息，不是律师意见；具体情况请咨询司法所或律师。';
const MAX_QUOTE_CHARS = 70;
const MAX_ARTICLES = 3;
const MAX_SERVICES = 3;
// Retrieved articles a guide section may rest on when it matches mostly through legal terms.
const TOP_ARTICLES = 3;

// Bigrams that say nothing about the topic: matching only these is no evidence of relevance.
const FUNCTION_BIGRAMS = new Set(
  '可以 什么 怎么 这个 一个 没有 不是 如果 应当 或者 以及 的人 人的 是否 能否 有关 规定 依法 本法 进行 他人 自己 我们 他们 现在 还是 就是 这样 那个 时候 知道 能不能 咋办'
    .split(' ')
    .filter((w) => w.length === 2),
);

function contentBigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const run of normalizeText(text).match(/\p{Script=Han}+/gu) ?? []) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) {
      const bigram = chars[i]! + chars[i + 1]!;
      if (!FUNCTION_BIGRAMS.has(bigram)) out.add(bigram);
    }
  }
  return out;
}

/**
 * How many topical bigrams of the question (and its legal expansion) a passage shares; an
 * article's notes count, so an article found through the words people use is not dropped.
 */
export function evidence(questionBigrams: Set<string>, passage: Passage): number {
  const text = `${passage.chunk.meta.section ?? ''}${passage.chunk.text}${passage.notes ?? ''}`;
  let count = 0;
  for (const bigram of contentBigrams(text)) if (questionBigrams.has(bigram)) count++;
  return count;
}

export function questionBigrams(question: string, expansion: readonly string[]): Set<string> {
  return contentBigrams([question, ...expansion].join(' '));
}

/** The sentence of an article that shares most with the question, cut to quoting length. */
export function bestSentence(text: string, bigrams: Set<string>): string {
  const sentences = splitSentences(text.replace(/\n/gu, ''));
  let best = sentences[0] ?? text;
  let bestScore = -1;
  for (const sentence of sentences) {
    let score = 0;
    for (const b of contentBigrams(sentence)) if (bigrams.has(b)) score++;
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best.length > MAX_QUOTE_CHARS ? `${best.slice(0, MAX_QUOTE_CHARS)}……` : best;
}

/** The plain answer of a guide's question section: its text before the 依据 lines. */
export function guideAnswer(passage: Passage): string {
  const body = passage.chunk.text.split(/\n?依据[:：]/u)[0]!.replace(/\s+/gu, '');
  const sentences = splitSentences(body);
  let lead = '';
  for (const sentence of sentences) {
    if (lead && lead.length + sentence.length > 150) break;
    lead += sentence;
  }
  return lead;
}

export function citationOf(passage: Passage): Citation {
  const { source, kind, title, article, section, year, lines } = passage.chunk.meta;
  return {
    source,
    kind,
    title,
    lines,
    ...(article && { article }),
    ...(section && { section }),
    ...(year !== undefined && { year }),
  };
}

const DANGER_HELP = '派出所（报警110）；村委会、镇司法所；法律援助12348';

/**
 * The guide question section that fits best: shared topical bigrams, counting twice those in
 * its question heading; at least three. A section that shares fewer than three with the
 * resident's own words (matching mostly through the synonym table's legal terms) must also rest
 * on one of the best retrieved articles: otherwise a loose guide (治安案件's 被人打了 for a question
 * about sold personal data) leads an answer whose retrieved articles were right.
 */
function pickGuide(
  guides: Passage[],
  bigrams: Set<string>,
  plainBigrams: Set<string>,
  ownBigrams: Set<string>,
  topArticles: ReadonlySet<string>,
): Passage | undefined {
  let best: Passage | undefined;
  let bestScore = 0;
  for (const passage of guides) {
    const section = passage.chunk.meta.section ?? '';
    if (!/常见问题/u.test(section)) continue;
    const total = evidence(bigrams, passage);
    if (total < 3) continue;
    const restsOnTop = findCitedArticles(passage.chunk.text).some((key) =>
      topArticles.has(`${key.law}|${key.article}`),
    );
    if (!restsOnTop && evidence(plainBigrams, passage) < 3) continue;
    let heading = 0;
    for (const b of contentBigrams(section)) if (ownBigrams.has(b)) heading++;
    const score = total + 2 * heading;
    if (score > bestScore) {
      best = passage;
      bestScore = score;
    }
  }
  return best;
}

export interface OfflineAnswerInput {
  /** The text searched with: the question, with the previous one for a follow-up. */
  question: string;
  /** The message itself: a guide whose question heading it shares words with ranks first. */
  focus?: string;
  expansion: readonly string[];
  laws: Passage[];
  guides: Passage[];
  services: Service[];
  /** An indexed article by law and number: the articles a matched guide cites are quoted first. */
  lookupArticle: (law: string, article: string) => Passage | undefined;
  /** The 找谁帮忙 section of a guide, by the guide's source file. */
  helpFor: (source: string) => string | undefined;
  /** How many articles to quote (the caller lowers it to fit a chat message). */
  maxArticles?: number;
  /** Shown first when the message describes an emergency. */
  dangerLine?: string;
}

export interface OfflineAnswer {
  text: string;
  citations: Citation[];
  /** False when nothing retrieved was about the question: the reply says so and refers. */
  grounded: boolean;
  /** The parts a model-written answer reuses: quoted articles, the guide, the 可以找 line. */
  laws: Passage[];
  guide?: Passage;
  whereLine?: string;
}

/**
 * The extractive answer: a lead from the best matching guide, the most relevant sentence of each
 * retrieved article quoted with its citation, where to go, and the disclaimer.
 */
export function composeOfflineAnswer(input: OfflineAnswerInput): OfflineAnswer {
  const bigrams = questionBigrams(input.question, input.expansion);
  const guide = pickGuide(
    input.guides,
    bigrams,
    questionBigrams(input.question, []),
    questionBigrams(input.focus ?? input.question, []),
    new Set(
      input.laws.slice(0, TOP_ARTICLES).map((p) => `${p.chunk.meta.title}|${p.chunk.meta.article}`),
    ),
  );
  // The guide's own 依据 articles (when indexed) come first: its author matched them to this
  // question; then retrieved articles that share enough with the question.
  const fromGuide = guide
    ? findCitedArticles(guide.chunk.text)
        .map((key) => input.lookupArticle(key.law, key.article))
        .filter((p): p is Passage => p !== undefined)
    : [];
  const seen = new Set<string>();
  const laws = [...fromGuide, ...input.laws.filter((p) => evidence(bigrams, p) >= 2)]
    .filter((p) => {
      const key = `${p.chunk.meta.title}|${p.chunk.meta.article}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, input.maxArticles ?? MAX_ARTICLES);
  const lines: string[] = [];
  if (input.dangerLine) lines.push(`【紧急】${input.dangerLine}`);
  if (!laws.length && !guide && input.dangerLine) {
    lines.push(`事后可以找：${DANGER_HELP}`, DISCLAIMER);
    return { text: lines.join('\n'), citations: [], grounded: false, laws: [] };
  }
  if (!laws.length && !guide) {
    lines.push(
      '知识库里没有找到和您的问题直接相关的法律条文，我不想随便回答误导您。',
      `建议向镇司法所或村调委会当面咨询，或拨打12348公共法律服务热线。`,
      DISCLAIMER,
    );
    return { text: lines.join('\n'), citations: [], grounded: false, laws: [] };
  }
  if (guide) {
    const asked = (guide.chunk.meta.section ?? '').replace(/^.*常见问题[:：]\s*/u, '');
    lines.push(`【${asked}】${guideAnswer(guide)}`);
  } else {
    const top = laws[0]!;
    lines.push(
      `根据《${top.chunk.meta.title}》${top.chunk.meta.article ?? ''}：${bestSentence(top.chunk.text, bigrams)}`,
    );
  }
  if (laws.length) {
    lines.push('法律依据：');
    laws.forEach((p, i) => {
      lines.push(
        `${i + 1}. 《${p.chunk.meta.title}》${p.chunk.meta.article ?? ''}：“${bestSentence(p.chunk.text, bigrams)}”`,
      );
    });
  }
  const help = guide ? parseHelpList(input.helpFor(guide.chunk.meta.source) ?? '') : [];
  const where = (help.length ? help : DEFAULT_HELP).slice(0, MAX_SERVICES).map(({ name, what }) => {
    const phone = phoneFor(name, input.services);
    return `${name}${phone ? `（电话 ${phone}）` : ''}${what ? `，${what.replace(/[。；]$/u, '')}` : ''}`;
  });
  const whereLine = `可以找：${where.join('；')}`;
  lines.push(whereLine, DISCLAIMER);
  return {
    text: lines.join('\n'),
    citations: [...laws, ...(guide ? [guide] : [])].map(citationOf),
    grounded: true,
    laws,
    ...(guide && { guide }),
    whereLine,
  };
}
