import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { buildKnowledgeIndex } from '../index/build-knowledge-index.ts';
import { printBuildReport } from './print-build-report.ts';
import { createEmbedder } from '../retrieve/open-retriever.ts';
import { createProgressBar } from './progress-bar.ts';

async function main() {
  const { values } = parseArgs({ options: { full: { type: 'boolean' } } });
  const config = loadConfig();
  const embedder = await createEmbedder(config);
  const bar = createProgressBar('embedding');
  const report = await buildKnowledgeIndex({
    knowledgeDir: config.knowledgeDir,
    indexDir: config.indexDir,
    embedder,
    full: Boolean(values.full),
    maxFileBytes: config.maxFileBytes,
    onProgress: bar.update,
  });
  printBuildReport(report);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
