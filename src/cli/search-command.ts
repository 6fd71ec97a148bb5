import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { formatPassage } from './format-passage.ts';
import { createEmbedder, openRetriever } from '../retrieve/open-retriever.ts';
import type { DocumentKind } from '../ingest/types.ts';
import { createProgressBar } from './progress-bar.ts';
import { printBuildReport } from './print-build-report.ts';

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { k: { type: 'string' }, kind: { type: 'string' }, year: { type: 'string' } },
  });
  const question = positionals.join(' ').trim();
  if (!question)
    throw new Error(
      'usage: npm run search -- "问题" [--k 5] [--kind law|report|guide] [--year 2023]',
    );
  const config = loadConfig();
  const embedder = await createEmbedder(config);
  const { retriever, built } = await openRetriever(
    config,
    embedder,
    createProgressBar('embedding').update,
  );
  if (built) printBuildReport(built);
  const passages = await retriever.retrievePassages(question, {
    k: values.k ? Number(values.k) : config.searchTopK,
    filter: {
      ...(values.kind && { kinds: [values.kind as DocumentKind] }),
      ...(values.year && { years: [Number(values.year)] }),
    },
  });
  if (!passages.length) console.log('没有找到相关内容。(No passage matched.)');
  passages.forEach((p, i) => console.log(formatPassage(p, i + 1)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
