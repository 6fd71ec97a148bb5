import { startRetriever } from './cli/start-retriever.ts';
import { createInterface } from 'node:readline/promises';
import { createQuestionAnswerer } from './answer/create-answerer.ts';

const HELP = `松村镇法治助手 (console, offline). 输入问题，回车；"退出" 结束。
Type a question as a resident would and press Enter; "退出" or Ctrl-D quits.`;

/** Composition root: config once, then the retriever, then the console channel. */
async function main() {
  const { config, retriever } = await startRetriever(console.log, '首次建立索引');
  const answerer = createQuestionAnswerer(config, retriever);
  console.log(HELP);
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
  });
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    const question = line.trim();
    if (question === '退出' || question === 'exit') break;
    if (question === '帮助' || question === 'help') console.log(HELP);
    else if (question) {
      console.log((await answerer.answerQuestion(question, { conversation: 'console' })).text);
    }
    rl.prompt();
  }
  rl.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
