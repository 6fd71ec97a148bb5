import {
  AlignmentType,
  Document,
  Footer,
  HighlightColor,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type IRunOptions,
} from 'docx';

/**
 * A draft as a Word document in the 公文 layout of GB/T 9704-2012: A4, margins 37/35/28/26 mm,
 * title 方正小标宋简体 二号 centred, body 仿宋_GB2312 三号, 一级标题 黑体, 二级标题 楷体_GB2312,
 * fixed 28 pt line spacing, first lines indented two characters, page numbers "— 1 —" centred.
 */

const mm = (value: number) => Math.round((value / 25.4) * 1440);

export const DOCX_LAYOUT = {
  page: { width: 11906, height: 16838 },
  margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) },
  /** Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt. */
  size: { title: 44, body: 32, pageNumber: 28 },
  /** 28 pt in twentieths of a point. */
  line: 560,
  font: {
    title: '方正小标宋简体',
    body: '仿宋_GB2312',
    heading1: '黑体',
    heading2: '楷体_GB2312',
    pageNumber: '宋体',
  },
} as const;

const exactLine = { line: DOCX_LAYOUT.line, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
// Two characters of 三号 (16 pt each) = 32 pt = 640 twips; firstLineChars keeps it at two
// characters if the font size is changed in Word.
const indent = { firstLine: 640, firstLineChars: 200 };

/** Every script of the run in one font, so digits and Latin letters do not fall back to Calibri. */
function font(name: string) {
  return { ascii: name, hAnsi: name, eastAsia: name, cs: name };
}

function run(text: string, fontName: string, extra: Partial<IRunOptions> = {}): TextRun {
  return new TextRun({ text, font: font(fontName), size: DOCX_LAYOUT.size.body, ...extra });
}

/** Body text, with 【待补充：…】 highlighted so nobody prints it by mistake. */
function bodyRuns(text: string, fontName: string = DOCX_LAYOUT.font.body): TextRun[] {
  return text
    .split(/(【待补充[^】]*】)/u)
    .filter(Boolean)
    .map((piece) =>
      piece.startsWith('【待补充')
        ? run(piece, fontName, { highlight: HighlightColor.YELLOW })
        : run(piece, fontName),
    );
}

function paragraph(children: TextRun[]): Paragraph {
  return new Paragraph({ children, spacing: exactLine, indent });
}

/** One line of the draft as a paragraph, by its numbering. */
function lineParagraph(line: string): Paragraph {
  // 一、法治政府建设的主要举措和成效: 黑体
  if (/^[一二三四五六七八九十]+、/u.test(line)) {
    return paragraph(bodyRuns(line, DOCX_LAYOUT.font.heading1));
  }
  // （一）heading。body: the heading up to its 。 in 楷体, the rest in 仿宋.
  const sub = /^([（(][一二三四五六七八九十]+[)）][^。：]{1,40}[。：]?)(.*)$/u.exec(line);
  if (sub) {
    return paragraph([...bodyRuns(sub[1]!, DOCX_LAYOUT.font.heading2), ...bodyRuns(sub[2]!)]);
  }
  return paragraph(bodyRuns(line));
}

export async function exportDocx(title: string, draftText: string): Promise<Uint8Array> {
  const lines = draftText
    .split(/\r?\n/u)
    .map((l) => l.replace(/\u3000/gu, ' ').trim())
    .filter(Boolean);
  if (lines[0] === title.trim()) lines.shift();

  const titleParagraphs = title
    .split(/\r?\n/u)
    .filter((l) => l.trim())
    .map(
      (l) =>
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: exactLine,
          children: [
            new TextRun({
              text: l.trim(),
              font: font(DOCX_LAYOUT.font.title),
              size: DOCX_LAYOUT.size.title,
            }),
          ],
        }),
    );
  // One empty line between the title and the body, as in GB/T 9704.
  const blank = new Paragraph({ spacing: exactLine, children: [run('', DOCX_LAYOUT.font.body)] });

  const pageNumberRun = (children: (string | (typeof PageNumber)[keyof typeof PageNumber])[]) =>
    new TextRun({
      children,
      font: font(DOCX_LAYOUT.font.pageNumber),
      size: DOCX_LAYOUT.size.pageNumber,
    });

  const doc = new Document({
    title: title.split(/\r?\n/u).join(' '),
    styles: {
      default: {
        document: {
          run: { font: font(DOCX_LAYOUT.font.body), size: DOCX_LAYOUT.size.body },
          paragraph: { spacing: exactLine },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { ...DOCX_LAYOUT.page },
            // The page number's line sits 7 mm under the text block: 35 - 7 - 5 (四号) ≈ 23 mm.
            margin: { ...DOCX_LAYOUT.margin, header: mm(15), footer: mm(23) },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [pageNumberRun(['— ', PageNumber.CURRENT, ' —'])],
              }),
            ],
          }),
        },
        children: [...titleParagraphs, blank, ...lines.map(lineParagraph)],
      },
    ],
  });
  const buffer = await Packer.toBuffer(doc);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
