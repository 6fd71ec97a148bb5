import type { ChatModel } from '../answer/chat-model.ts';
import type { PromptTemplate } from '../answer/prompt-template.ts';
import { checkDraftNumbers, checkDraftOutline } from './check-draft.ts';
import {
  assembleReport,
  draftSection,
  splitNotes,
  toNotesByPart,
  type Draft,
  type DraftOptions,
  type FullDraft,
  type NotesByPart,
} from './draft-offline.ts';
import { partHeading, REPORT_PARTS, type PartLayout, type ReportPart } from './report-parts.ts';

/** The placeholders prompts/draft.md must hold; checked when the prompt is loaded. */
export const DRAFT_PROMPT_PLACEHOLDERS = ['part', 'format', 'notes', 'examples'] as const;

export interface DraftModel {
  chat: ChatModel;
  /** prompts/draft.md, loaded with DRAFT_PROMPT_PLACEHOLDERS. */
  prompt: PromptTemplate;
  timeoutMs: number;
  /** Why a model draft was not used; defaults to stderr. */
  log?: (line: string) => void;
}

export interface ModelDraft extends Draft {
  /** Which path wrote the text. */
  via: 'model' | 'offline';
  /** Set when the model's draft was rejected and the offline one returned. */
  fallbackReason?: string;
}

export interface ModelDraftOptions extends DraftOptions {
  /**
   * Texts whose figures the draft may cite besides the notes. The style examples are not
   * sources: their figures belong to past years. Defaults to none; the report and plan years
   * are always allowed.
   */
  sources?: readonly string[];
}

const FORMAT: Record<PartLayout, string> = {
  headed:
    '按工作类别分段，每段以“（一）小标题。”开头，小标题是两个四到八字的短句（如“（一）强化法治宣传，营造良好氛围。”），后面接“一是……；二是……。”；一段只有一项时不用“一是”。',
  'headed-own-line':
    '按工作类别分段，每类先单独一行写“（1）小标题”（如“（1）强化组织领导，压实法治建设责任”），下一行写正文，正文有多项时写“一是……；二是……。”。',
  items: '不设小标题，直接写一段“一是……；二是……；三是……。”。',
  statement: '一两句话直接写明情况；笔记说没有，就只写“无”。',
};

/** Markdown and list symbols a model may add anyway; the repeated part heading. */
function toPlainDraft(raw: string, part: ReportPart): string {
  return raw
    .replace(/```[a-z]*\n?/giu, '')
    .replace(/\*\*|__|`/gu, '')
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*#+\s*/u, '')
        .replace(/^\s*(?:[-*•]\s+|>\s*)/u, '')
        .trim(),
    )
    .filter(Boolean)
    .filter((line, i) => !(i === 0 && line.startsWith(`${part.numeral}、`)))
    .join('\n');
}

function markersIn(text: string, part: ReportPart): string[] {
  return [...text.matchAll(/【待补充[：:]\s*([^】]*)】/gu)].map(
    (m) => `${part.numeral}、${part.short}：${m[1]!.trim()}`,
  );
}

/** Why the model's text cannot be used, or undefined when it passes every check. */
function rejection(
  body: string,
  text: string,
  notes: string,
  sources: string[],
): string | undefined {
  if (!body) return 'empty draft';
  if (/^[一二三四五六七]、/mu.test(body)) return 'the model wrote other parts of the report';
  const { missingFromDraft, invented } = checkDraftNumbers(notes, text, sources);
  if (invented.length) return `invented figures: ${invented.join('、')}`;
  if (missingFromDraft.length) return `dropped figures: ${missingFromDraft.join('、')}`;
  const outline = checkDraftOutline(text);
  if (outline.length) return `numbering: ${outline.join('; ')}`;
  return undefined;
}

/**
 * Drafts one part with the chat model, prompted with the notes and past paragraphs as style
 * examples, then checks the draft: any figure of the notes dropped, any figure in neither the
 * notes nor the sources, broken numbering, an error, a timeout or an empty reply -> the offline
 * draft, with a log line saying why.
 */
export async function draftWithModel(
  model: DraftModel,
  part: ReportPart,
  notes: string,
  examples: readonly string[] = [],
  options: ModelDraftOptions = {},
): Promise<ModelDraft> {
  const log = model.log ?? ((line: string) => console.error(line));
  const offline = () => draftSection(part, notes, examples, options);
  if (!splitNotes(notes).length) return { ...offline(), via: 'offline' };

  const planYear = options.reportYear && options.reportYear + 1;
  const heading = partHeading(part, planYear);
  const prompt = model.prompt.render({
    part: heading,
    format: FORMAT[part.layout],
    notes: notes.trim(),
    examples: examples.length ? examples.join('\n') : '（无）',
  });
  const years = [options.reportYear, planYear].filter(Boolean).map((y) => `${y}年`);
  const sources = [...(options.sources ?? []), ...years];

  const signal = AbortSignal.timeout(model.timeoutMs);
  let reason: string | undefined;
  let text = '';
  try {
    const body = toPlainDraft(await model.chat.complete(prompt, signal), part);
    text = `${heading}\n${body}`;
    reason = rejection(body, text, notes, sources);
  } catch (error) {
    reason = signal.aborted
      ? `no reply within ${model.timeoutMs} ms`
      : `model error: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!reason) return { text, missing: markersIn(text, part), via: 'model' };
  log(
    `draft ${part.numeral}、${part.short}: model draft not used (${reason}); using the offline draft`,
  );
  return { ...offline(), via: 'offline', fallbackReason: reason };
}

export interface ModelFullDraft extends Omit<FullDraft, 'parts'> {
  parts: { part: ReportPart; draft: ModelDraft }[];
}

/** The whole report, part by part through the model (each part falling back on its own). */
export async function draftFullReportWithModel(
  model: DraftModel,
  notes: string | NotesByPart | Partial<Record<number, string>>,
  examplesFor: (part: ReportPart) => readonly string[] = () => [],
  options: ModelDraftOptions = {},
): Promise<ModelFullDraft> {
  const split = toNotesByPart(notes);
  const parts: { part: ReportPart; draft: ModelDraft }[] = [];
  for (const part of REPORT_PARTS) {
    const partNotes = split.byPart.get(part.number) ?? '';
    parts.push({
      part,
      draft: await draftWithModel(model, part, partNotes, examplesFor(part), options),
    });
  }
  return { ...assembleReport(parts, split), parts };
}
