/** What a knowledge file is, from the folder it sits in. */
export type DocumentKind = 'law' | 'report' | 'guide';

/** Who may see a document: `internal` never reaches residents or group chats. */
export type Audience = 'public' | 'internal';

/** A knowledge file after loading: plain text plus what its front matter or folder says. */
export interface SourceDocument {
  /** Path relative to the knowledge folder, with forward slashes (e.g. `laws/民法典.md`). */
  source: string;
  kind: DocumentKind;
  title: string;
  text: string;
  year?: number;
  audience: Audience;
  effectiveDate?: string;
}

/** Provenance carried from ingest to the reply: the raw material of a citation. */
export interface ChunkMeta {
  source: string;
  kind: DocumentKind;
  /** Law name without 中华人民共和国 (e.g. 民法典), or the document title. */
  title: string;
  year?: number;
  audience: Audience;
  /** Statutes: 第十四条, 第一百三十三条之一. */
  article?: string;
  /** Statutes: chapter path (第二章 人民调解委员会); reports: heading path joined by " > ". */
  section?: string;
  /** 1-based, inclusive line range in the source text. */
  lines: [number, number];
}

export interface Chunk {
  /** Stable within one index build: `${source}#${ordinal}`. */
  id: string;
  text: string;
  meta: ChunkMeta;
}
