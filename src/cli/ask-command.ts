import { startRetriever } from './start-retriever.ts';
import { createQuestionAnswerer } from '../answer/create-answerer.ts';

/** Prints the reply exactly as a resident would see it in a chat. */
async function main() {
  const question = process.argv.slice(2).join(' ').trim();
  if (!question) throw new Error('usage: npm run ask -- "问题"');
  // Build messages go to stderr: stdout is the reply exactly as a resident sees it.
  const { config, retriever } = await startRetriever((line) => console.error(line));
  const answerer = createQuestionAnswerer(config, retriever);
  const reply = await answerer.answerQuestion(question);
  console.log(reply.text);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
