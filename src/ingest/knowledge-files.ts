import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { SUPPORTED_EXTENSIONS } from './load-document.ts';
import type { DocumentKind } from './types.ts';

/** A file under `knowledge/` that will be indexed, with the hash the manifest compares. */
export interface KnowledgeFile {
  /** Relative to the knowledge folder, forward slashes: `laws/民法典.md`. */
  source: string;
  absolutePath: string;
  kind: DocumentKind;
  bytes: Uint8Array;
  hash: string;
}

// Folder -> kind. Files uploaded through a chat land in inbox/ and are treated as guides.
const KIND_BY_FOLDER: Record<string, DocumentKind> = {
  laws: 'law',
  reports: 'report',
  guides: 'guide',
  inbox: 'guide',
};

function isDocumentName(name: string): boolean {
  if (name.startsWith('.') || /^readme\.md$/iu.test(name)) return false;
  return SUPPORTED_EXTENSIONS.includes(extname(name).toLowerCase());
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : walk(full);
      return entry.isFile() && isDocumentName(entry.name) ? [full] : [];
    });
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Lists the documents under the kind folders (laws/, reports/, guides/, inbox/). Files at the
 * top level (synonyms.tsv, services) are configuration, not documents.
 */
export function listKnowledgeFiles(knowledgeDir: string): KnowledgeFile[] {
  const files: KnowledgeFile[] = [];
  for (const [folder, kind] of Object.entries(KIND_BY_FOLDER)) {
    let paths: string[];
    try {
      paths = walk(join(knowledgeDir, folder));
    } catch {
      continue; // a missing kind folder is simply empty
    }
    for (const absolutePath of paths) {
      const bytes = readFileSync(absolutePath);
      files.push({
        source: relative(knowledgeDir, absolutePath).split(sep).join('/'),
        absolutePath,
        kind,
        bytes,
        hash: hashBytes(bytes),
      });
    }
  }
  return files;
}
