import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { QuestionAnswerer } from './answer/answer-question.ts';
import { ConversationMemory } from './answer/conversation-memory.ts';
import { createQuestionAnswerer } from './answer/create-answerer.ts';
import { Bot, type BotHandlers } from './bot/bot.ts';
import { createLogger, type Logger } from './bot/logger.ts';
import type { Config } from './config.ts';
import { createDrafter } from './draft/create-drafter.ts';
import { DocumentLoadError } from './errors.ts';
import { createReportLookup } from './lookup/lookup-handler.ts';
import { buildKnowledgeIndex, type BuildReport } from './index/build-knowledge-index.ts';
import type { Embedder } from './index/embedder.ts';
import { readManifest } from './index/index-store.ts';
import { loadDocumentText, SUPPORTED_EXTENSIONS } from './ingest/load-document.ts';
import type { HybridRetriever } from './retrieve/hybrid-search.ts';
import { createEmbedder, openRetriever } from './retrieve/open-retriever.ts';

export interface App {
  bot: Bot;
  log: Logger;
  /** Extra handlers (look-up, drafting) are added by the modules that provide them. */
  handlers: BotHandlers;
}

/** One line per build outcome, for logs and the admin's chat. */
export function describeBuild(report: BuildReport): string[] {
  const lines = [
    `已索引 ${report.chunkCount} 段：新读入 ${report.embedded.length} 个文件，未变 ${report.reused.length} 个，移除 ${report.removed.length} 个。`,
  ];
  if (report.fullRebuildReason) lines.unshift(`全部重建：${report.fullRebuildReason}`);
  for (const s of report.skipped) {
    lines.push(`跳过 ${s.source}：${s.reason}${s.keptPrevious ? '（保留了之前的版本）' : ''}`);
  }
  return lines;
}

const UPLOAD_FOLDERS = {
  reports: '作为年度报告加入知识库（可“查”，起草时参考）',
  laws: '作为法律法规加入知识库（按条引用）',
  inbox: '作为参考资料加入知识库',
} as const;

/**
 * Where an uploaded file belongs: a township annual report (title ending 报告, parts 一、二、)
 * goes to reports/ so 查 and drafting use it; a statute (several 第X条) to laws/; else inbox/.
 */
export function uploadFolder(text: string): keyof typeof UPLOAD_FOLDERS {
  const head = text.split('\n').slice(0, 8).join('\n');
  const parts = text.match(/^\s*[一二三四五六七]、/gmu)?.length ?? 0;
  if (/报告\s*$/mu.test(head) && parts >= 2) return 'reports';
  if ((text.match(/^\s*第[零〇一二三四五六七八九十百千]+条/gmu)?.length ?? 0) >= 3) return 'laws';
  return 'inbox';
}

/** A safe file name for knowledge/inbox: no folders, no traversal, a supported extension. */
export function safeUploadName(name: string): string | undefined {
  const base = basename(name.replace(/\\/gu, '/')).replace(/[^\p{L}\p{N}._()（）-]/gu, '_');
  const ext = extname(base).toLowerCase();
  if (!base || base.startsWith('.') || !SUPPORTED_EXTENSIONS.includes(ext)) return undefined;
  // A name may have at most 255 bytes on disk: long titles (3 bytes per 汉字) are shortened.
  let stem = '';
  for (const ch of base.slice(0, base.length - ext.length)) {
    if (Buffer.byteLength(stem + ch) > 200) break;
    stem += ch;
  }
  return stem + base.slice(base.length - ext.length);
}

/**
 * Builds the bot on the saved index: the answerer now, re-indexing and staff uploads swap in a
 * fresh retriever without a restart.
 */
export async function createApp(
  config: Config,
  options: {
    log?: Logger;
    onProgress?: (done: number, total: number) => void;
    /** Where the lines of an index build made at start-up go (default: the log). */
    onBuilt?: (line: string) => void;
  } = {},
): Promise<App> {
  const log = options.log ?? createLogger(undefined, config.secrets);
  const embedder: Embedder = await createEmbedder(config);
  // Kept across re-indexing, so follow-up questions keep their context.
  const memory = new ConversationMemory();
  let retriever: HybridRetriever;
  let answerer: QuestionAnswerer;
  const open = async () => {
    const opened = await openRetriever(config, embedder, options.onProgress);
    const report = options.onBuilt ?? ((line: string) => log.info(line));
    if (opened.built) for (const line of describeBuild(opened.built)) report(line);
    for (const problem of opened.noteProblems) log.warn(`article note skipped: ${problem}`);
    retriever = opened.retriever;
    answerer = createQuestionAnswerer(config, retriever, (line) => log.warn(line), memory);
  };
  await open();
  const started = Date.now();

  const rebuild = async (): Promise<string> => {
    const report = await buildKnowledgeIndex({
      knowledgeDir: config.knowledgeDir,
      indexDir: config.indexDir,
      embedder,
      maxFileBytes: config.maxFileBytes,
    });
    await open();
    await reportLookup.reload();
    return describeBuild(report).join('\n');
  };
  // One build at a time: two uploads (or an upload and 重建索引) must not save side by side.
  let building: Promise<unknown> = Promise.resolve();
  const reindex = (): Promise<string> => {
    const next = building.then(rebuild, rebuild);
    building = next.catch(() => undefined);
    return next;
  };

  const handlers: BotHandlers = {
    answer: (question, context) => answerer.answerQuestion(question, context),
    reindex,
    status: async () => {
      const manifest = await readManifest(config.indexDir);
      return [
        `知识库：${retriever.chunks.length} 段，${Object.keys(manifest?.files ?? {}).length} 个文件，建于 ${manifest?.builtAt ?? '未知'}`,
        `回答方式：${config.llm ? `模型 ${config.llm.model}（失败时用离线回答）` : '离线'}`,
        `已运行 ${Math.round((Date.now() - started) / 60000)} 分钟`,
      ].join('\n');
    },
    saveUpload: async (name, bytes) => {
      const safe = safeUploadName(name);
      if (!safe) {
        const shown = Array.from(name.replace(/\p{C}/gu, '')).slice(0, 60).join('');
        return `没有收下“${shown}”：只接受 ${SUPPORTED_EXTENSIONS.join(' ')} 文件。`;
      }
      if (!bytes.length) return `没有收下“${safe}”：文件是空的。`;
      if (bytes.length > config.maxUploadBytes) {
        return `没有收下“${safe}”：文件超过 ${Number((config.maxUploadBytes / 1048576).toFixed(2))}MB。`;
      }
      let text: string;
      try {
        text = await loadDocumentText(safe, bytes, { maxBytes: config.maxUploadBytes });
      } catch (error) {
        const reason = error instanceof DocumentLoadError ? error.reason : (error as Error).message;
        return `没有收下“${safe}”：${reason}`;
      }
      const folder = uploadFolder(text);
      const dir = join(config.knowledgeDir, folder);
      await mkdir(dir, { recursive: true });
      let target = join(dir, safe);
      for (let n = 2; ; n++) {
        try {
          await writeFile(target, bytes, { flag: 'wx' }); // never overwrite a same-named file
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          target = join(dir, `${basename(safe, extname(safe))}-${n}${extname(safe)}`);
        }
      }
      log.info(`upload saved: ${target}`);
      const saved = `已收到“${basename(target)}”，${UPLOAD_FOLDERS[folder]}。`;
      try {
        return `${saved}\n${await reindex()}`;
      } catch (error) {
        log.warn(`re-index after upload failed: ${(error as Error).message}`);
        return `${saved}\n但知识库暂未更新（${(error as Error).message}）；请管理员稍后发“重建索引”，不必重发文件。`;
      }
    },
  };
  handlers.draft = createDrafter(config, (line) => log.warn(line));
  const reportLookup = createReportLookup(config.knowledgeDir, { warn: (l) => log.warn(l) });
  handlers.lookup = (query, context) => reportLookup.lookup(query, context);
  const bot = new Bot(handlers, { ...config.bot, log, secrets: config.secrets });
  return { bot, log, handlers };
}
