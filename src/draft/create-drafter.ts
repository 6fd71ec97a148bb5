import { createOpenAIChatModel } from '../answer/chat-model.ts';
import { PromptTemplate } from '../answer/prompt-template.ts';
import type { Reply } from '../answer/reply.ts';
import type { Config } from '../config.ts';
import { defaultReportYear, loadExamples } from './draft-examples.ts';
import { draftFullReport, draftSection, reportTitle } from './draft-offline.ts';
import {
  DRAFT_PROMPT_PLACEHOLDERS,
  draftFullReportWithModel,
  draftWithModel,
  type DraftModel,
} from './draft-with-model.ts';
import { exportDocx } from './export-docx.ts';
import { recognizeSection, UnknownSectionError } from './report-parts.ts';

/**
 * The staff's "起草 …" command: the draft as text to paste, what is still missing, and the
 * .docx in 公文 layout as the reply's file. Past reports are read per request (they are small
 * and may have just been uploaded).
 */
export function createDrafter(
  config: Config,
  log: (line: string) => void,
  now: () => Date = () => new Date(),
): (section: string, notes: string) => Promise<Reply> {
  const model: DraftModel | undefined = config.llm && {
    chat: createOpenAIChatModel(config.llm),
    prompt: PromptTemplate.load('prompts/draft.md', DRAFT_PROMPT_PLACEHOLDERS),
    timeoutMs: config.llm.timeoutMs,
    log,
  };
  return async (sectionName, notes) => {
    let section;
    try {
      section = recognizeSection(sectionName);
    } catch (error) {
      if (error instanceof UnknownSectionError) return { text: error.message, citations: [] };
      throw error;
    }
    if (!notes.trim()) {
      return {
        text: '请在“起草 …”下面另起几行写要点（做了什么、数字多少），我来整理成报告段落。',
        citations: [],
      };
    }
    const examplesFor = await loadExamples(config.knowledgeDir, config.maxFileBytes, log);
    const options = { reportYear: defaultReportYear(now()) };
    const draft =
      section === 'all'
        ? model
          ? await draftFullReportWithModel(model, notes, examplesFor, options)
          : draftFullReport(notes, examplesFor, options)
        : model
          ? await draftWithModel(model, section, notes, examplesFor(section), options)
          : draftSection(section, notes, examplesFor(section), options);
    const title = reportTitle(options.reportYear);
    const missing = draft.missing.length
      ? `\n\n待补充（${draft.missing.length}处）：\n${draft.missing.map((m) => `- ${m}`).join('\n')}`
      : '';
    const name = `${section === 'all' ? '全文' : section.short}-草稿.docx`;
    return {
      text: `${draft.text}${missing}`,
      citations: [],
      file: { name, bytes: await exportDocx(title, draft.text) },
    };
  };
}
