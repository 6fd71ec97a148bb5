import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { hashBytes, listKnowledgeFiles, type KnowledgeFile } from '../ingest/knowledge-files.ts';
import { ingestFile } from '../ingest/split-document.ts';
import { normalizeLawTitle } from '../ingest/split-statute.ts';
import type { Chunk } from '../ingest/types.ts';
import type { ArticleKey } from './scoring.ts';

/** Statute chunks from a folder of markdown laws, through the same ingest path as knowledge/. */
export async function loadLawChunks(dir: string): Promise<Chunk[]> {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.md') && !/^(sources|readme)\.md$/iu.test(n))
    .sort();
  const chunks: Chunk[] = [];
  for (const name of names) {
    const absolutePath = join(dir, name);
    const bytes = readFileSync(absolutePath);
    const file: KnowledgeFile = {
      source: `laws/${name}`,
      absolutePath,
      kind: 'law',
      bytes,
      hash: hashBytes(bytes),
    };
    chunks.push(...(await ingestFile(file)));
  }
  return chunks;
}

/** The STARD article pool: one chunk per `{law, article, text}` line. */
export function loadArticleChunks(path: string): Chunk[] {
  const source = basename(path);
  return readJsonl<ArticleKey & { text: string }>(path).map((row, i) => ({
    id: `${source}#${i}`,
    text: row.text,
    meta: {
      source,
      kind: 'law',
      title: normalizeLawTitle(row.law),
      article: row.article,
      audience: 'public',
      lines: [i + 1, i + 1],
    },
  }));
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as T;
      } catch (error) {
        throw new Error(`${path}:${i + 1}: not JSON (${(error as Error).message})`);
      }
    });
}

/** Every readable document under a knowledge folder, split; unreadable files are listed. */
export async function loadKnowledgeChunks(
  knowledgeDir: string,
): Promise<{ chunks: Chunk[]; skipped: string[] }> {
  const chunks: Chunk[] = [];
  const skipped: string[] = [];
  for (const file of listKnowledgeFiles(knowledgeDir)) {
    try {
      chunks.push(...(await ingestFile(file)));
    } catch (error) {
      skipped.push(`${file.source}: ${(error as Error).message}`);
    }
  }
  return { chunks, skipped };
}
