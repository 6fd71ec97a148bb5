import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import type { Reply } from '../../src/answer/reply.ts';
import { createLogger } from '../../src/bot/logger.ts';
import type { Incoming } from '../../src/bot/types.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { loadDocumentText } from '../../src/ingest/load-document.ts';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const FIXTURES = join(ROOT, 'test/fixtures/reliability');
const LAWS_DIR = join(ROOT, '../shared/corpus/laws');
export const LAWS = ['人民调解法.md', '反家庭暴力法.md', '土地管理法.md'];

/** Runs per property: FC_RUNS scales them all (e.g. FC_RUNS=10 for a long soak). */
export const runs = (n: number) => Math.max(1, Math.round(n * Number(process.env.FC_RUNS ?? 1)));
/** A fixed seed reproduces a failure (fast-check prints the seed it used with the counterexample). */
export const seed = process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {};

export interface Workspace {
  /** The temp root: nothing may be written under it except knowledge/inbox and the data folder. */
  root: string;
  knowledgeDir: string;
  dataDir: string;
  dispose(): void;
}

/**
 * A temp knowledge folder: the repo's guides, reports and synonyms, three statutes copied into
 * the temp laws/ folder, and optional reliability fixtures. It sits two levels below the temp
 * root, so a "../../x" that escaped knowledge/inbox would still land inside the root we watch.
 */
export function makeWorkspace(
  options: { internal?: boolean; injection?: boolean } = {},
): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'fazhi-rel-'));
  const base = join(root, 'town', 'bot');
  const knowledgeDir = join(base, 'knowledge');
  mkdirSync(join(knowledgeDir, 'laws'), { recursive: true });
  cpSync(join(ROOT, 'knowledge/guides'), join(knowledgeDir, 'guides'), { recursive: true });
  cpSync(join(ROOT, 'knowledge/reports'), join(knowledgeDir, 'reports'), { recursive: true });
  copyFileSync(join(ROOT, 'knowledge/synonyms.tsv'), join(knowledgeDir, 'synonyms.tsv'));
  for (const law of LAWS) copyFileSync(join(LAWS_DIR, law), join(knowledgeDir, 'laws', law));
  if (options.internal) {
    copyFileSync(join(FIXTURES, '内部工作口径.md'), join(knowledgeDir, 'guides/内部工作口径.md'));
    copyFileSync(
      join(FIXTURES, '内部情况通报.txt'),
      join(knowledgeDir, 'reports/内部情况通报.txt'),
    );
  }
  if (options.injection) {
    copyFileSync(join(FIXTURES, '自来水押金.md'), join(knowledgeDir, 'guides/自来水押金.md'));
  }
  return {
    root,
    knowledgeDir,
    dataDir: join(base, 'data'),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Settings for a workspace; rate limits are lifted unless a test sets them. */
export function configFor(ws: Workspace, env: Record<string, string> = {}): Config {
  return loadConfig(
    {
      KNOWLEDGE_DIR: ws.knowledgeDir,
      DATA_DIR: ws.dataDir,
      RATE_PER_PERSON_PER_MIN: '1000000',
      RATE_PER_GROUP_PER_MIN: '1000000',
      ...env,
    },
    '',
  );
}

/** The whole app, its log lines captured through the real logger (with the secrets). */
export async function buildApp(config: Config): Promise<{ app: App; lines: string[] }> {
  const lines: string[] = [];
  const app = await createApp(config, {
    log: createLogger((line) => lines.push(line), config.secrets),
  });
  return { app, lines };
}

let messageNo = 0;

/** A message as a channel would hand it over; a fresh messageId each time. */
export function message(over: Partial<Incoming> & { text: string }): Incoming {
  return {
    channel: 'test',
    chatId: over.isGroup ? 'room-1' : `private:${over.senderId ?? 'resident-1'}`,
    isGroup: false,
    senderId: 'resident-1',
    mentionedBot: true,
    messageId: `m${++messageNo}`,
    ...over,
  };
}

/** What every reply must look like: a non-empty text under the WeChat-safe bound. */
export function replyProblems(reply: Reply | undefined): string[] {
  if (reply === undefined) return [];
  const problems: string[] = [];
  if (typeof reply.text !== 'string' || !reply.text.trim()) problems.push('empty reply text');
  else if (reply.text.length >= 2000) problems.push(`reply of ${reply.text.length} chars`);
  if (!Array.isArray(reply.citations)) problems.push('citations is not an array');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Internal documents and how to tell that one leaked.

export const INTERNAL = {
  sources: ['guides/内部工作口径.md', 'reports/内部情况通报.txt'],
  titles: [
    '内部工作口径（不公开）',
    '内部工作口径',
    '松村镇2024年内部情况通报（不公开）',
    '内部情况通报',
  ],
  /** Phrases that exist only in the internal documents. */
  phrases: [
    '青松七号',
    '三缓两稳',
    '白鹭小组',
    'SC-0917',
    '分机8866',
    '四万二千',
    '内部测算价',
    '重点关注台账',
    '紫藤专班',
    '黄栌组',
    '三百七十万',
    '漏登记十一起',
  ],
};

function documentBody(path: string): string {
  return readFileSync(path, 'utf8').replace(/^---\n[\s\S]*?\n---\n/u, '');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

const WINDOW = 8;

/**
 * Every 8-character run of the internal documents' own sentences (not their quoted statutes)
 * that occurs in no public knowledge file: any of them in a reply is a leak.
 */
export function internalWindows(ws: Workspace): string[] {
  const publicText = filesUnder(ws.knowledgeDir)
    .filter((f) => !INTERNAL.sources.some((s) => f.endsWith(s)))
    .map((f) => readFileSync(f, 'utf8').replace(/\s+/gu, ''))
    .join('\n');
  const windows = new Set<string>();
  for (const source of INTERNAL.sources) {
    for (const line of documentBody(join(ws.knowledgeDir, source)).split('\n')) {
      if (/^依据|^《/u.test(line.trim())) continue;
      const chars = Array.from(line.replace(/\s+/gu, ''));
      for (let i = 0; i + WINDOW <= chars.length; i++) {
        const w = chars.slice(i, i + WINDOW).join('');
        if (!publicText.includes(w)) windows.add(w);
      }
    }
  }
  return [...windows];
}

/** Everything a reply shows: its text, its citations, and the name and text of a file it carries. */
export async function shownBy(reply: Reply | undefined): Promise<string> {
  if (!reply) return '';
  const { file, ...rest } = reply;
  let fileText = '';
  if (file) {
    fileText = await loadDocumentText(file.name, file.bytes).catch(
      (error: unknown) => `unreadable file: ${String(error)}`,
    );
  }
  return `${JSON.stringify(rest)}\n${file?.name ?? ''}\n${fileText}`;
}

/** What of the internal documents shows in a reply, ignoring what the asker wrote themselves. */
export async function leaks(
  reply: Reply | undefined,
  windows: string[],
  asked = '',
): Promise<string[]> {
  if (!reply) return [];
  const shown = await shownBy(reply);
  // What the asker wrote themselves (a draft's notes, an echoed question) is not a leak.
  let unasked = shown.replace(/\s+/gu, '');
  for (const fragment of asked.split(/[\s\p{P}]+/u).filter((f) => f.length >= 3)) {
    unasked = unasked.split(fragment).join('□');
  }
  const found = [
    ...INTERNAL.sources.filter((s) => shown.includes(s)),
    ...INTERNAL.titles.filter((t) => unasked.includes(t)),
    ...INTERNAL.phrases.filter((p) => unasked.includes(p)),
    ...windows.filter((w) => unasked.includes(w)),
  ];
  return [...new Set(found)];
}

// ---------------------------------------------------------------------------------------------
// The file tree, to prove that nothing was written where it should not be.

export function snapshotTree(dir: string, skip: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of filesUnder(dir)) {
    const rel = relative(dir, file).split(sep).join('/');
    if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
    out.set(rel, createHash('sha256').update(readFileSync(file)).digest('hex'));
  }
  return out;
}

export function treeChanges(before: Map<string, string>, after: Map<string, string>) {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k));
  return { added, removed, changed };
}

// ---------------------------------------------------------------------------------------------
// Personal numbers, in the ways people type them.

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
export const toFullWidth = (s: string) =>
  s.replace(/[0-9]/gu, (d) => FULL_WIDTH_DIGITS[Number(d)]!).replace(/X/gu, 'Ｘ');

/** Only the digits (and a final X) of a text, full-width folded: to find a number in any form. */
export const digitsOf = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[^0-9Xx]/gu, '')
    .toUpperCase();

/** Whether `text` shows the number `digits` (any formatting) as one run. */
export function showsNumber(text: string, digits: string): boolean {
  // Strip only separators people put inside numbers, so unrelated digits do not join up.
  const folded = text
    .normalize('NFKC')
    .replace(/(?<=[0-9])[\s\-－]+(?=[0-9Xx])/gu, '')
    .toUpperCase();
  return folded.includes(digits);
}

/** The question the model was asked, from the rendered prompt (prompts/answer.md). */
export function questionInPrompt(body: unknown): string {
  const content = (body as { messages?: { content?: string }[] }).messages?.[0]?.content ?? '';
  return content.split('村民的问题：').pop()!.trim();
}

/** Whether a request to the model server is the question rewrite (prompts/rewrite.md). */
export function isRewriteRequest(body: unknown): boolean {
  const content = (body as { messages?: { content?: string }[] }).messages?.[0]?.content ?? '';
  return content.includes('改写成法律条文');
}
