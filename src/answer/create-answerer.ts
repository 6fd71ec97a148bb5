import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { HybridRetriever } from '../retrieve/hybrid-search.ts';
import {
  ANSWER_PROMPT_PLACEHOLDERS,
  QuestionAnswerer,
  REWRITE_PROMPT_PLACEHOLDERS,
} from './answer-question.ts';
import { createOpenAIChatModel } from './chat-model.ts';
import { ConversationMemory } from './conversation-memory.ts';
import { PromptTemplate } from './prompt-template.ts';
import { loadServices } from './services.ts';

/** The answerer as configured: offline, or with the model server and its checked prompt. */
export function createQuestionAnswerer(
  config: Config,
  retriever: HybridRetriever,
  log: (line: string) => void = (line) => console.error(line),
  memory = new ConversationMemory(),
): QuestionAnswerer {
  const services = loadServices(join(config.knowledgeDir, 'guides', '本地法律服务.md'));
  if (!config.llm) return new QuestionAnswerer(retriever, services, undefined, memory);
  return new QuestionAnswerer(
    retriever,
    services,
    {
      chat: createOpenAIChatModel(config.llm),
      prompt: PromptTemplate.load('prompts/answer.md', ANSWER_PROMPT_PLACEHOLDERS),
      rewritePrompt: PromptTemplate.load('prompts/rewrite.md', REWRITE_PROMPT_PLACEHOLDERS),
      timeoutMs: config.llm.timeoutMs,
      town: config.townName,
      log,
    },
    memory,
  );
}
