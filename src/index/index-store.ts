import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { IndexError } from '../errors.ts';
import type { Chunk } from '../ingest/types.ts';
import { DenseIndex } from './dense-index.ts';
import type { Embedder } from './embedder.ts';

export const INDEX_FORMAT_VERSION = 1;

export interface Manifest {
  formatVersion: number;
  embedderId: string;
  dimensions: number;
  builtAt: string;
  /** Per source file: the content hash it was indexed at and how many chunks it gave. */
  files: Record<string, { hash: string; chunks: number }>;
  chunkCount: number;
}

export interface SavedIndex {
  manifest: Manifest;
  chunks: Chunk[];
  /** Row i is the vector of chunks[i]. */
  vectors: Float32Array[];
  dense: DenseIndex;
}

const CURRENT = 'CURRENT';
const MANIFEST = 'manifest.json';

/** Hooks for tests that simulate a crash between the files of a save. */
export interface SaveFaults {
  afterFile?: (name: string) => void;
}

function packVectors(vectors: Float32Array[], dimensions: number): Buffer {
  const flat = new Float32Array(vectors.length * dimensions);
  vectors.forEach((v, i) => flat.set(v, i * dimensions));
  return Buffer.from(flat.buffer);
}

function unpackVectors(bytes: Buffer, dimensions: number): Float32Array[] {
  // Copy into an aligned buffer: a Buffer's byteOffset need not be a multiple of 4.
  const flat = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(flat.buffer).set(bytes);
  const rows: Float32Array[] = [];
  for (let i = 0; i < flat.length; i += dimensions) rows.push(flat.subarray(i, i + dimensions));
  return rows;
}

/**
 * Writes the index into a new version folder, manifest last, then points CURRENT at it with an
 * atomic rename. A crash at any point leaves CURRENT naming the previous complete version.
 */
export async function saveIndex(
  indexDir: string,
  index: SavedIndex,
  embedder: Embedder,
  faults: SaveFaults = {},
): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  // Unique even for two saves in the same millisecond; the pid tells cleanup who owns a folder.
  const version = `v-${Date.now()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const dir = join(indexDir, `.tmp-${version}`);
  await mkdir(dir, { recursive: true });
  const write = async (name: string, data: string | Buffer) => {
    await writeFile(join(dir, name), data);
    faults.afterFile?.(name);
  };
  await write('chunks.json', JSON.stringify(index.chunks));
  await write('vectors.f32', packVectors(index.vectors, index.manifest.dimensions));
  await write('embedder.json', JSON.stringify(embedder.saveState?.() ?? null));
  await index.dense.save(join(dir, 'hnsw'));
  faults.afterFile?.('hnsw');
  await write(MANIFEST, JSON.stringify(index.manifest, null, 2));
  await rename(dir, join(indexDir, version));
  const pointer = join(indexDir, `${CURRENT}.tmp-${process.pid}`);
  await writeFile(pointer, version);
  faults.afterFile?.(`${CURRENT}.tmp`);
  await rename(pointer, join(indexDir, CURRENT));
  await removeStaleVersions(indexDir, version);
  return version;
}

/** Whether a folder or pointer file belongs to a save still running in another process. */
function ownedByLiveProcess(name: string): boolean {
  // `.tmp-v-<time>-<pid>-<id>` folders and `CURRENT.tmp-<pid>` pointer files.
  const pid = Number(
    /^\.tmp-v-\d+-(\d+)-|^CURRENT\.tmp-(\d+)$/u.exec(name)?.slice(1).find(Boolean),
  );
  if (!pid || pid === process.pid) return false; // this process saves one index at a time
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes old versions and the leftovers of crashed saves, but never the version CURRENT names
 * now (another process may have switched it) nor a save another live process is writing.
 */
async function removeStaleVersions(indexDir: string, keep: string): Promise<void> {
  const current = (await readFile(join(indexDir, CURRENT), 'utf8').catch(() => '')).trim();
  for (const name of await readdir(indexDir)) {
    if (name === keep || name === current || name === CURRENT) continue;
    const stale =
      name.startsWith('v-') ||
      ((name.startsWith('.tmp-') || name.startsWith(`${CURRENT}.tmp`)) &&
        !ownedByLiveProcess(name));
    if (stale) await rm(join(indexDir, name), { recursive: true, force: true });
  }
}

/** The manifest of the current index, or undefined when none was ever saved. */
export async function readManifest(indexDir: string): Promise<Manifest | undefined> {
  try {
    const version = (await readFile(join(indexDir, CURRENT), 'utf8')).trim();
    return JSON.parse(await readFile(join(indexDir, version, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Loads the version CURRENT names; restores the embedder's saved state (the offline IDF). */
export async function loadIndex(indexDir: string, embedder: Embedder): Promise<SavedIndex> {
  let version: string;
  try {
    version = (await readFile(join(indexDir, CURRENT), 'utf8')).trim();
  } catch {
    throw new IndexError(`No index in ${indexDir}. Build one with \`npm run index\`.`);
  }
  const dir = join(indexDir, version);
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
    if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
      throw new Error(
        `format ${manifest.formatVersion}, this version reads ${INDEX_FORMAT_VERSION}`,
      );
    }
    if (manifest.embedderId !== embedder.id) {
      throw new Error(`built with embedder ${manifest.embedderId}, configured is ${embedder.id}`);
    }
    const chunks = JSON.parse(await readFile(join(dir, 'chunks.json'), 'utf8')) as Chunk[];
    const vectors = unpackVectors(await readFile(join(dir, 'vectors.f32')), manifest.dimensions);
    if (chunks.length !== manifest.chunkCount || vectors.length !== chunks.length) {
      throw new Error(
        `expected ${manifest.chunkCount} chunks and vectors, found ${chunks.length} and ${vectors.length}`,
      );
    }
    const state = JSON.parse(await readFile(join(dir, 'embedder.json'), 'utf8')) as unknown;
    if (state !== null) embedder.restoreState?.(state);
    const dense = chunks.length
      ? await DenseIndex.load(join(dir, 'hnsw'), embedder.embeddings)
      : await DenseIndex.build(embedder.embeddings, [], []);
    return { manifest, chunks, vectors, dense };
  } catch (error) {
    throw new IndexError(
      `The index in ${dir} cannot be used (${(error as Error).message}). Rebuild it with \`npm run index -- --full\`.`,
    );
  }
}
