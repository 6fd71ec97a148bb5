// Shared by the stress tests (test/stress/*.stress.ts): temp workspaces, timing, forced GC.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const LAWS = new URL('../../../shared/corpus/laws', import.meta.url).pathname;
export const HAVE_LAWS = existsSync(LAWS);

export interface Workspace {
  dir: string;
  knowledgeDir: string;
  dataDir: string;
  indexDir: string;
  /** Environment for a child process on this workspace, offline, no model server. */
  env: NodeJS.ProcessEnv;
}

/**
 * A temp workspace: the shipped guides, reports and synonyms plus the named statutes from the
 * shared corpus (never into the repo's own knowledge/).
 */
export function makeWorkspace(prefix: string, laws: string[]): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const knowledgeDir = join(dir, 'knowledge');
  mkdirSync(join(knowledgeDir, 'laws'), { recursive: true });
  cpSync(join(ROOT, 'knowledge/guides'), join(knowledgeDir, 'guides'), { recursive: true });
  cpSync(join(ROOT, 'knowledge/reports'), join(knowledgeDir, 'reports'), { recursive: true });
  copyFileSync(join(ROOT, 'knowledge/synonyms.tsv'), join(knowledgeDir, 'synonyms.tsv'));
  if (HAVE_LAWS) {
    for (const law of laws) copyLaw(knowledgeDir, law);
  }
  const dataDir = join(dir, 'data');
  return {
    dir,
    knowledgeDir,
    dataDir,
    indexDir: join(dataDir, 'index'),
    env: {
      ...process.env,
      KNOWLEDGE_DIR: knowledgeDir,
      DATA_DIR: dataDir,
      EMBEDDINGS_PROVIDER: 'offline',
      EMBEDDINGS_DIMENSIONS: '1024',
      LLM_BASE_URL: '',
      LLM_MODEL: '',
      HTTP_HOST: '127.0.0.1',
    },
  };
}

export function copyLaw(knowledgeDir: string, law: string): void {
  copyFileSync(join(LAWS, `${law}.md`), join(knowledgeDir, 'laws', `${law}.md`));
}

/** The township questions of the fixture (realistic, colloquial). */
export function townshipQuestions(): string[] {
  return readFileSync(join(ROOT, 'test/fixtures/township-questions.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { query: string }).query);
}

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The q-quantile (0..1) of the values, nearest-rank. */
export function quantile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * A forced full GC: `--expose-gc` when the script passed it, otherwise exposed at run time
 * through V8's flags (works on Node 20+). Returns false if neither is possible.
 */
export const forceGc: () => boolean = (() => {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = undefined;
    }
  }
  return () => {
    if (!gc) return false;
    gc();
    gc();
    return true;
  };
})();

/** heapUsed in MB after a forced GC (or without one, when GC cannot be forced). */
export function heapMb(): number {
  forceGc();
  return process.memoryUsage().heapUsed / 1048576;
}

/** A summary line for RELIABILITY.md: printed to stdout and kept for the test's diagnostics. */
export function summary(line: string): string {
  process.stdout.write(`${line}\n`);
  return line;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
