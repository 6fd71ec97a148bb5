import type { Config } from '../config.ts';
import { buildKnowledgeIndex, type BuildReport } from '../index/build-knowledge-index.ts';
import { createOfflineEmbedder, createOpenAIEmbedder, type Embedder } from '../index/embedder.ts';
import { INDEX_FORMAT_VERSION, loadIndex, readManifest } from '../index/index-store.ts';
import { buildRetriever } from './build-retriever.ts';
import type { HybridRetriever } from './hybrid-search.ts';
import type { ArticleNote } from './article-notes.ts';
import { loadVocabulary } from './vocabulary.ts';

/** One line per law whose notes found no article: a typo, or another version of the law. */
function describeUnattached(unattached: readonly ArticleNote[]): string[] {
  const byLaw = new Map<string, string[]>();
  for (const { law, article } of unattached) byLaw.set(law, [...(byLaw.get(law) ?? []), article]);
  return [...byLaw].map(
    ([law, articles]) =>
      `${law}: ${articles.length} note(s) found no article (${articles.slice(0, 3).join('、')}${articles.length > 3 ? '…' : ''}): no such article, or it begins differently from the note's last column (another version of the law?)`,
  );
}

/** The configured embedder: the offline default, or an OpenAI-compatible server (checked now). */
export async function createEmbedder(config: Config): Promise<Embedder> {
  const e = config.embeddings;
  return e.provider === 'offline' ? createOfflineEmbedder(e.dimensions) : createOpenAIEmbedder(e);
}

export interface OpenedRetriever {
  retriever: HybridRetriever;
  /** Present when the index had to be built first. */
  built?: BuildReport;
  /** Article-note lines that were skipped (file:line: reason). */
  noteProblems: string[];
}

/**
 * Loads the saved index into a retriever, building it first when there is none (first start)
 * or it was built by another embedder, so `npm start` works on a fresh clone and after upgrades.
 */
export async function openRetriever(
  config: Config,
  embedder: Embedder,
  onProgress?: (done: number, total: number) => void,
): Promise<OpenedRetriever> {
  let built: BuildReport | undefined;
  const manifest = await readManifest(config.indexDir);
  // No index yet, or one made by another embedder or format: build it now (it says why).
  if (
    !manifest ||
    manifest.embedderId !== embedder.id ||
    manifest.formatVersion !== INDEX_FORMAT_VERSION
  ) {
    built = await buildKnowledgeIndex({
      knowledgeDir: config.knowledgeDir,
      indexDir: config.indexDir,
      embedder,
      maxFileBytes: config.maxFileBytes,
      ...(onProgress && { onProgress }),
    });
  }
  const saved = await loadIndex(config.indexDir, embedder);
  const { synonyms, notes, problems } = loadVocabulary(config.knowledgeDir);
  const retriever = await buildRetriever({
    chunks: saved.chunks,
    embeddings: embedder.embeddings,
    dense: saved.dense,
    synonyms,
    notes,
  });
  return {
    retriever,
    noteProblems: [...problems, ...describeUnattached(retriever.unattachedNotes)],
    ...(built && { built }),
  };
}
