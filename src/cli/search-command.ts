import { startRetriever } from './start-retriever.ts';
import { parseArgs } from 'node:util';
import { formatPassage } from './format-passage.ts';
import type { DocumentKind } from '../ingest/types.ts';

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
  const { config, retriever } = await startRetriever();
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
