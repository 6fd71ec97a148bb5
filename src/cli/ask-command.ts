import { createQuestionAnswerer } from '../answer/create-answerer.ts';
import { loadConfig } from '../config.ts';
import { createEmbedder, openRetriever } from '../retrieve/open-retriever.ts';
import { createProgressBar } from './progress-bar.ts';
import { printBuildReport } from './print-build-report.ts';

/** Prints the reply exactly as a resident would see it in a chat. */
async function main() {
  const question = process.argv.slice(2).join(' ').trim();
  if (!question) throw new Error('usage: npm run ask -- "问题"');
  const config = loadConfig();
  const embedder = await createEmbedder(config);
  const { retriever, built } = await openRetriever(
    config,
    embedder,
    createProgressBar('embedding').update,
  );
  if (built) printBuildReport(built, (line) => console.error(line));
  const answerer = createQuestionAnswerer(config, retriever);
  const reply = await answerer.answerQuestion(question);
  console.log(reply.text);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
