import { loadConfig, type Config } from '../config.ts';
import type { HybridRetriever } from '../retrieve/hybrid-search.ts';
import { createEmbedder, openRetriever } from '../retrieve/open-retriever.ts';
import { createProgressBar } from './progress-bar.ts';
import { printBuildReport } from './print-build-report.ts';

/**
 * What every command starts with: the settings, read once, and the retriever over the saved
 * index (built first, with a progress bar, on a fresh checkout).
 */
export async function startRetriever(
  log: (line: string) => void = console.log,
  label = 'embedding',
): Promise<{ config: Config; retriever: HybridRetriever }> {
  const config = loadConfig();
  const embedder = await createEmbedder(config);
  const { retriever, built, noteProblems } = await openRetriever(
    config,
    embedder,
    createProgressBar(label).update,
  );
  if (built) printBuildReport(built, log);
  for (const problem of noteProblems) log(`article note skipped: ${problem}`);
  return { config, retriever };
}
