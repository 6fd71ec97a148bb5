import { DocumentLoadError, EmbeddingError } from '../errors.ts';
import { listKnowledgeFiles } from '../ingest/knowledge-files.ts';
import { ingestFile } from '../ingest/split-document.ts';
import type { Chunk } from '../ingest/types.ts';
import { lexicalText } from '../retrieve/hybrid-search.ts';
import { DenseIndex } from './dense-index.ts';
import type { Embedder } from './embedder.ts';
import {
  INDEX_FORMAT_VERSION,
  loadIndex,
  readManifest,
  saveIndex,
  type Manifest,
  type SavedIndex,
  type SaveFaults,
} from './index-store.ts';

export interface BuildOptions {
  knowledgeDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Re-embed everything (and refit the offline IDF) even if files did not change. */
  full?: boolean;
  maxFileBytes?: number;
  onProgress?: (done: number, total: number) => void;
  faults?: SaveFaults;
}

export interface BuildReport {
  /** Files loaded and embedded in this run. */
  embedded: string[];
  /** Unchanged files whose chunks and vectors were reused. */
  reused: string[];
  removed: string[];
  /** Files that could not be read, with why; a file indexed before keeps its previous version. */
  skipped: { source: string; reason: string; keptPrevious: boolean }[];
  /** Why everything was re-embedded, when it was. */
  fullRebuildReason?: string;
  chunkCount: number;
}

const EMBED_BATCH = 64;

/**
 * Builds or updates the saved index: only files whose content hash changed are loaded and
 * embedded; an embedder change or a format change rebuilds everything and says why.
 */
export async function buildKnowledgeIndex(options: BuildOptions): Promise<BuildReport> {
  const { embedder, indexDir } = options;
  const files = listKnowledgeFiles(options.knowledgeDir);
  const manifest = await readManifest(indexDir);
  const fullRebuildReason = options.full
    ? 'requested with --full'
    : !manifest
      ? undefined
      : manifest.formatVersion !== INDEX_FORMAT_VERSION
        ? `index format changed (${manifest.formatVersion} -> ${INDEX_FORMAT_VERSION})`
        : manifest.embedderId !== embedder.id
          ? `embedder changed (${manifest.embedderId} -> ${embedder.id})`
          : undefined;

  let previous: SavedIndex | undefined;
  if (manifest && !fullRebuildReason) {
    try {
      previous = await loadIndex(indexDir, embedder);
    } catch {
      previous = undefined; // unreadable: rebuild from the files
    }
  }
  const previousBySource = new Map<string, { chunks: Chunk[]; vectors: Float32Array[] }>();
  previous?.chunks.forEach((chunk, i) => {
    const entry = previousBySource.get(chunk.meta.source) ?? { chunks: [], vectors: [] };
    entry.chunks.push(chunk);
    entry.vectors.push(previous!.vectors[i]!);
    previousBySource.set(chunk.meta.source, entry);
  });

  const report: BuildReport = {
    embedded: [],
    reused: [],
    removed: [],
    skipped: [],
    ...(fullRebuildReason && { fullRebuildReason }),
    chunkCount: 0,
  };
  const kept: { source: string; hash: string; chunks: Chunk[]; vectors?: Float32Array[] }[] = [];
  for (const file of files) {
    const old = previousBySource.get(file.source);
    if (old && previous?.manifest.files[file.source]?.hash === file.hash) {
      kept.push({ source: file.source, hash: file.hash, ...old });
      report.reused.push(file.source);
      continue;
    }
    try {
      kept.push({
        source: file.source,
        hash: file.hash,
        chunks: await ingestFile(file, options.maxFileBytes),
      });
      report.embedded.push(file.source);
    } catch (error) {
      const reason = error instanceof DocumentLoadError ? error.reason : (error as Error).message;
      report.skipped.push({ source: file.source, reason, keptPrevious: Boolean(old) });
      if (old) {
        kept.push({
          source: file.source,
          hash: previous!.manifest.files[file.source]!.hash,
          ...old,
        });
      }
    }
  }
  const present = new Set(files.map((f) => f.source));
  report.removed = [...previousBySource.keys()].filter((s) => !present.has(s));

  const chunks = kept.flatMap((k) => k.chunks);
  // A full build (re)learns the offline IDF from all the text; an update keeps the fitted one.
  if (!previous && embedder.fit) embedder.fit(chunks.map(lexicalText));
  const toEmbed = kept.filter((k) => !k.vectors).flatMap((k) => k.chunks);
  const fresh: Float32Array[] = [];
  for (let i = 0; i < toEmbed.length; i += EMBED_BATCH) {
    const batch = toEmbed.slice(i, i + EMBED_BATCH).map(lexicalText);
    let vectors: number[][];
    try {
      vectors = await embedder.embeddings.embedDocuments(batch);
    } catch (error) {
      throw new EmbeddingError(
        `Embedding failed (${(error as Error).message}); the previous index is kept. ` +
          'Check that the embedding server is up, or set EMBEDDINGS_PROVIDER=offline.',
      );
    }
    fresh.push(...vectors.map((v) => Float32Array.from(v)));
    options.onProgress?.(Math.min(i + EMBED_BATCH, toEmbed.length), toEmbed.length);
  }
  let next = 0;
  const vectors = kept.flatMap((k) => k.vectors ?? k.chunks.map(() => fresh[next++]!));
  const dimensions = vectors[0]?.length ?? previous?.manifest.dimensions ?? 0;
  const dense = await DenseIndex.build(
    embedder.embeddings,
    vectors,
    chunks.map((c) => c.text),
  );
  const nextManifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    embedderId: embedder.id,
    dimensions,
    builtAt: new Date().toISOString(),
    files: Object.fromEntries(
      kept.map((k) => [k.source, { hash: k.hash, chunks: k.chunks.length }]),
    ),
    chunkCount: chunks.length,
  };
  await saveIndex(
    indexDir,
    { manifest: nextManifest, chunks, vectors, dense },
    embedder,
    options.faults,
  );
  report.chunkCount = chunks.length;
  return report;
}
