import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import { EmbeddingError } from '../errors.ts';
import { HashedNgramEmbeddings, type HashedEmbeddingsState } from './hashed-embeddings.ts';

/** An embedding model plus what the index must remember about it. */
export interface Embedder {
  /** Recorded in the manifest; a different id forces a full rebuild. */
  readonly id: string;
  readonly embeddings: EmbeddingsInterface;
  /** Offline embedder only: learns its IDF on a full build. */
  fit?(texts: string[]): void;
  /** State saved with the index (the offline IDF) and restored before embedding queries. */
  saveState?(): unknown;
  restoreState?(state: unknown): void;
}

export function createOfflineEmbedder(dimensions: number): Embedder {
  const hashed = new HashedNgramEmbeddings(dimensions);
  return {
    id: hashed.id,
    embeddings: hashed,
    fit: (texts) => hashed.fit(texts),
    saveState: () => hashed.toJSON(),
    restoreState: (state) => hashed.restore(state as HashedEmbeddingsState),
  };
}

export interface OpenAIEmbedderSettings {
  baseURL: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  /** Expected vector length; checked against the server's answer at start-up when given. */
  dimensions?: number;
}

/**
 * Any OpenAI-compatible embedding endpoint. `encodingFormat: 'float'` because with the default
 * base64 some compatible servers make embedQuery return [] without an error. The vector length
 * is checked once here, so a wrong model fails at start-up, not at the first question.
 */
export async function createOpenAIEmbedder(settings: OpenAIEmbedderSettings): Promise<Embedder> {
  const embeddings = new OpenAIEmbeddings({
    model: settings.model,
    apiKey: settings.apiKey,
    encodingFormat: 'float',
    timeout: settings.timeoutMs,
    maxRetries: 1,
    configuration: { baseURL: settings.baseURL },
  });
  let probe: number[];
  try {
    probe = await embeddings.embedQuery('法治');
  } catch (error) {
    throw new EmbeddingError(
      `The embedding server at ${settings.baseURL} failed (${(error as Error).message}). ` +
        'Check EMBEDDINGS_BASE_URL, EMBEDDINGS_MODEL and EMBEDDINGS_API_KEY, or set EMBEDDINGS_PROVIDER=offline.',
    );
  }
  if (!probe.length || (settings.dimensions && probe.length !== settings.dimensions)) {
    throw new EmbeddingError(
      `The embedding model ${settings.model} returned vectors of length ${probe.length}` +
        (settings.dimensions ? `, expected ${settings.dimensions}` : '') +
        '. Check EMBEDDINGS_MODEL and EMBEDDINGS_DIMENSIONS.',
    );
  }
  return { id: `openai:${settings.model}:${probe.length}`, embeddings };
}
