import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createOpenAIChatModel } from '../answer/chat-model.ts';
import { PromptTemplate } from '../answer/prompt-template.ts';
import { loadConfig } from '../config.ts';
import { draftFullReport, draftSection, reportTitle, type Draft } from '../draft/draft-offline.ts';
import {
  DRAFT_PROMPT_PLACEHOLDERS,
  draftFullReportWithModel,
  draftWithModel,
  type DraftModel,
} from '../draft/draft-with-model.ts';
import { exportDocx } from '../draft/export-docx.ts';
import { recognizeSection } from '../draft/report-parts.ts';
import { defaultReportYear, loadExamples } from '../draft/draft-examples.ts';
import { loadDocumentText } from '../ingest/load-document.ts';

const USAGE =
  'usage: npm run draft -- --section NAME --notes FILE [--docx OUT] [--year 2024]\n' +
  '  NAME: 一 … 七, 存在的不足, 主要举措, 全文 …; FILE: .txt/.md/.docx notes; --year: the year reported on';

function printMissing(missing: readonly string[]) {
  if (!missing.length) return;
  console.log(`\n—— 待补充（${missing.length}处）——`);
  for (const line of missing) console.log(`- ${line}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      section: { type: 'string' },
      notes: { type: 'string' },
      docx: { type: 'string' },
      year: { type: 'string' },
    },
  });
  if (!values.section || !values.notes) throw new Error(USAGE);
  const reportYear = values.year ? Number(values.year) : defaultReportYear(new Date());
  if (!Number.isInteger(reportYear) || reportYear < 2000 || reportYear > 2100) {
    throw new Error(`--year ${values.year}: give the year reported on, e.g. --year 2024`);
  }
  const section = recognizeSection(values.section);
  const config = loadConfig();
  const log = (line: string) => console.error(line);
  const notes = await loadDocumentText(resolve(values.notes), undefined, {
    maxBytes: config.maxFileBytes,
  });
  const examplesFor = await loadExamples(config.knowledgeDir, config.maxFileBytes, log);
  const model: DraftModel | undefined = config.llm && {
    chat: createOpenAIChatModel(config.llm),
    prompt: PromptTemplate.load('prompts/draft.md', DRAFT_PROMPT_PLACEHOLDERS),
    timeoutMs: config.llm.timeoutMs,
    log,
  };
  const options = { reportYear };
  const title = reportTitle(reportYear);

  let draft: Draft;
  if (section === 'all') {
    const full = model
      ? await draftFullReportWithModel(model, notes, examplesFor, options)
      : draftFullReport(notes, examplesFor, options);
    console.log(`${title}\n\n${full.text}`);
    printMissing(full.missing);
    if (full.missingParts.length) {
      console.log('\n—— 笔记没有写到的部分 ——');
      for (const part of full.missingParts) console.log(`- ${part.numeral}、${part.short}`);
    }
    draft = full;
  } else {
    const examples = examplesFor(section);
    draft = model
      ? await draftWithModel(model, section, notes, examples, options)
      : draftSection(section, notes, examples, options);
    console.log(draft.text);
    printMissing(draft.missing);
  }
  console.log(
    `\n（按${reportYear}年度报告起草，第五部分写${reportYear + 1}年的计划；用 --year 改）`,
  );

  if (values.docx) {
    const out = resolve(values.docx);
    writeFileSync(out, await exportDocx(title, draft.text));
    console.log(`已写入 ${out}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
