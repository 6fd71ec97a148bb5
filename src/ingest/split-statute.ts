import { parseChineseNumeral } from './chinese-numerals.ts';
import { splitLongPassage } from './split-passage.ts';
import type { Chunk, SourceDocument } from './types.ts';

const ARTICLE =
  /^第([零〇一二三四五六七八九十百千两\d]+)条(之[一二三四五六七八九十]+)?(?:[\s\u3000]+|(?=\S))/u;
const ARTICLE_NUMBER = /^第[零〇一二三四五六七八九十百千两\d]+条(之[一二三四五六七八九十]+)?$/u;

/** Whether a label is an article number as the splitter writes them: 第十条, 第10条, 第十条之一. */
export function isArticleNumber(label: string): boolean {
  return ARTICLE_NUMBER.test(label);
}
const MARKDOWN_HEADING = /^(#{1,6})\s*(.+?)\s*$/u;
// Plain-text statutes (from .docx/.pdf) have unmarked headings: 第一编 总则, 第二章 监护.
const PLAIN_HEADING = /^第[零〇一二三四五六七八九十百]+([编章节]|分编)[\s\u3000]*\S.{0,30}$/u;
const HEADING_RANK: Record<string, number> = { 编: 1, 分编: 2, 章: 3, 节: 4 };
const MAX_ARTICLE_CHARS = 1500;

/** 中华人民共和国民法典 -> 民法典: the key statutes are cited and scored by. */
export function normalizeLawTitle(title: string): string {
  return title
    .replace(/[《》〈〉<>\s\u3000]/gu, '')
    .replace(/^中华人民共和国/u, '')
    .replace(/\(/gu, '（')
    .replace(/\)/gu, '）');
}

function collapseSpaces(text: string): string {
  return text.replace(/[\s\u3000]+/gu, ' ').trim();
}

interface OpenArticle {
  article: string;
  number: number;
  section: string;
  startLine: number;
  endLine: number;
  paragraphs: string[];
}

/**
 * One chunk per article (第X条, 第X条之一) with the law name and chapter path. A line counts as a
 * new article only when its number moves forward, so a paragraph opening with "第X条规定…" stays
 * inside its article.
 */
export function splitStatute(doc: SourceDocument, firstLine = 1): Chunk[] {
  const lines = doc.text.split('\n');
  const title = normalizeLawTitle(doc.title);
  const headings: { rank: number; text: string }[] = [];
  const chunks: Chunk[] = [];
  let open: OpenArticle | undefined;
  let lastNumber = 0;

  const close = () => {
    if (!open) return;
    const body = open.paragraphs.join('\n');
    const pieces = splitLongPassage(body, MAX_ARTICLE_CHARS);
    for (const piece of pieces) {
      chunks.push({
        id: `${doc.source}#${chunks.length}`,
        text: piece,
        meta: {
          source: doc.source,
          kind: doc.kind,
          title,
          ...(doc.year !== undefined && { year: doc.year }),
          audience: doc.audience,
          article: open.article,
          ...(open.section && { section: open.section }),
          lines: [open.startLine, open.endLine],
        },
      });
    }
    open = undefined;
  };

  const pushHeading = (rank: number, text: string) => {
    while (headings.length && headings[headings.length - 1]!.rank >= rank) headings.pop();
    headings.push({ rank, text });
  };

  lines.forEach((raw, index) => {
    const lineNo = firstLine + index;
    const line = raw.trim();
    if (!line || line.startsWith('<!--')) return;
    const md = MARKDOWN_HEADING.exec(line);
    if (md) {
      close();
      const text = collapseSpaces(md[2]!);
      // The law's own name (repeated per book in 民法典) is not a section.
      if (normalizeLawTitle(text) === title) return;
      pushHeading(md[1]!.length, text);
      return;
    }
    const plain = PLAIN_HEADING.exec(line);
    if (plain && !/[。；]/u.test(line)) {
      close();
      pushHeading(HEADING_RANK[plain[1]!]! + 10, collapseSpaces(line));
      return;
    }
    const article = ARTICLE.exec(line);
    if (article) {
      const number = parseChineseNumeral(article[1]!);
      const isNew = number > lastNumber || (number === lastNumber && article[2] !== undefined);
      if (isNew) {
        close();
        lastNumber = number;
        open = {
          article: `第${article[1]}条${article[2] ?? ''}`,
          number,
          section: headings.map((h) => h.text).join(' > '),
          startLine: lineNo,
          endLine: lineNo,
          paragraphs: [line.slice(article[0].length).trim()],
        };
        return;
      }
    }
    if (open) {
      open.paragraphs.push(line);
      open.endLine = lineNo;
    }
  });
  close();
  return chunks;
}
