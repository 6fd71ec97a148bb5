import type { DocumentKind } from '../ingest/types.ts';

/** Provenance of one cited passage, as channels show or link it. */
export interface Citation {
  source: string;
  kind: DocumentKind;
  title: string;
  article?: string;
  section?: string;
  year?: number;
  lines?: [number, number];
}

/** One reply to one message: plain text for WeChat, the citations it rests on, maybe a file. */
export interface Reply {
  text: string;
  citations: Citation[];
  file?: { name: string; bytes: Uint8Array };
}
