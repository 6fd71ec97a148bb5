import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { QuestionAnswerer } from './answer/answer-question.ts';
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
  let retriever: HybridRetriever;
  let answerer: QuestionAnswerer;
  const open = async () => {
    const opened = await openRetriever(config, embedder, options.onProgress);
    const report = options.onBuilt ?? ((line: string) => log.info(line));
    if (opened.built) for (const line of describeBuild(opened.built)) report(line);
    retriever = opened.retriever;
    answerer = createQuestionAnswerer(config, retriever, (line) => log.warn(line));
  };
  await open();
  const started = Date.now();

  const reindex = async (): Promise<string> => {
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
      try {
        await loadDocumentText(safe, bytes, { maxBytes: config.maxUploadBytes });
      } catch (error) {
        const reason = error instanceof DocumentLoadError ? error.reason : (error as Error).message;
        return `没有收下“${safe}”：${reason}`;
      }
      const inbox = join(config.knowledgeDir, 'inbox');
      await mkdir(inbox, { recursive: true });
      let target = join(inbox, safe);
      for (let n = 2; existsSync(target); n++) {
        target = join(inbox, `${basename(safe, extname(safe))}-${n}${extname(safe)}`);
      }
      await writeFile(target, bytes);
      log.info(`upload saved: ${target}`);
      return `已收到“${basename(target)}”，加入知识库。\n${await reindex()}`;
    },
  };
  handlers.draft = createDrafter(config, (line) => log.warn(line));
  const reportLookup = createReportLookup(config.knowledgeDir, { warn: (l) => log.warn(l) });
  handlers.lookup = (query, context) => reportLookup.lookup(query, context);
  const bot = new Bot(handlers, { ...config.bot, log, secrets: config.secrets });
  return { bot, log, handlers };
}
