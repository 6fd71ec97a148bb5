import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  ANSWER_PROMPT_PLACEHOLDERS,
  QuestionAnswerer,
  REWRITE_PROMPT_PLACEHOLDERS,
  type ModelPath,
} from '../../src/answer/answer-question.ts';
import { createOpenAIChatModel } from '../../src/answer/chat-model.ts';
import { ConversationMemory } from '../../src/answer/conversation-memory.ts';
import { PromptTemplate } from '../../src/answer/prompt-template.ts';
import { loadServices } from '../../src/answer/services.ts';
import { loadKnowledgeChunks, loadLawChunks } from '../../src/bench/bench-corpus.ts';
import { buildRetriever } from '../../src/retrieve/build-retriever.ts';
import type { HybridRetriever } from '../../src/retrieve/hybrid-search.ts';
import { loadVocabulary } from '../../src/retrieve/vocabulary.ts';
import { startOpenAITestServer, type Behaviour } from '../helpers/openai-test-server.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const QUESTION = '找村里调委会调解要交钱不？';
let retriever: HybridRetriever;

before(async () => {
  const laws = await loadLawChunks(`${ROOT}../shared/corpus/laws`);
  const guides = (await loadKnowledgeChunks(`${ROOT}knowledge`)).chunks.filter(
    (c) => c.meta.kind === 'guide',
  );
  const { synonyms, notes } = loadVocabulary(`${ROOT}knowledge`);
  retriever = await buildRetriever({ chunks: [...laws, ...guides], synonyms, notes });
});

async function answerWith(
  server: { chatReply?: (body: unknown) => string; behaviour?: Behaviour },
  timeoutMs = 3000,
) {
  const srv = await startOpenAITestServer(server);
  const logs: string[] = [];
  const model: ModelPath = {
    chat: createOpenAIChatModel({
      baseURL: srv.baseURL,
      apiKey: 'k',
      model: 'toy-chat',
      timeoutMs,
    }),
    prompt: PromptTemplate.load(`${ROOT}prompts/answer.md`, ANSWER_PROMPT_PLACEHOLDERS),
    timeoutMs,
    town: '松村镇',
    log: (l) => logs.push(l),
  };
  const answerer = new QuestionAnswerer(
    retriever,
    loadServices(`${ROOT}knowledge/guides/本地法律服务.md`),
    model,
  );
  const offline = await new QuestionAnswerer(
    retriever,
    loadServices(`${ROOT}knowledge/guides/本地法律服务.md`),
  ).answerQuestion(QUESTION);
  const started = performance.now();
  try {
    const reply = await answerer.answerQuestion(QUESTION);
    return { reply, offline, logs, ms: performance.now() - started, requests: srv.requests };
  } finally {
    await srv.close();
  }
}

const promptOf = (body: unknown) =>
  (body as { messages: { content: string }[] }).messages[0]!.content;

test('a model answer citing its numbered passages is used, with the articles it rests on', async () => {
  const { reply, requests } = await answerWith({
    chatReply: (body) => {
      const prompt = promptOf(body);
      const n = /\[(\d)\] 《人民调解法》第四条/u.exec(prompt)![1];
      return `**不用交钱。** 村里的人民调解委员会调解纠纷不收取任何费用[${n}]。`;
    },
  });
  assert.match(reply.text, /^不用交钱。村里的人民调解委员会调解纠纷不收取任何费用。/u);
  assert.match(
    reply.text,
    /法律依据：\n1\. 《人民调解法》第四条：“人民调解委员会调解民间纠纷，不收取任何费用。”/u,
  );
  assert.match(reply.text, /提示：以上是法律信息/u);
  assert.match(promptOf(requests[0]!.body), /松村镇的法治助手/u);
});

test('a citation of a passage the model was not given is dropped', async () => {
  const { reply, logs } = await answerWith({
    chatReply: () => '调解不收费[1]。还要交一百元材料费[9]。',
  });
  assert.doesNotMatch(reply.text, /\[9\]|\[1\]/u);
  assert.match(reply.text, /^调解不收费。还要交一百元材料费。/u);
  assert.ok(logs.some((l) => /dropped \[9\]/u.test(l)));
});

test('a sentence citing an article that does not exist is removed', async () => {
  const { reply, logs } = await answerWith({
    chatReply: () =>
      '村里调委会调解纠纷是不收费用的[1]。依据《人民调解法》第九十九条可以索赔十万元[1]。',
  });
  assert.doesNotMatch(reply.text, /第九十九条|十万元/u);
  assert.ok(logs.some((l) => /第九十九条/u.test(l)));
});

test('an answer citing nothing it was given falls back to the offline answer', async () => {
  const { reply, offline } = await answerWith({
    chatReply: () => '根据《人民调解法》第九十九条要交钱。',
  });
  assert.equal(reply.text, offline.text);
});

const failWith =
  (status: number, body: string): Behaviour =>
  (req, _b, res) => {
    if (!req.url?.endsWith('/chat/completions')) return false;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
    return true;
  };

for (const [name, behaviour] of [
  ['a 500', failWith(500, '{"error":{"message":"boom"}}')],
  ['a 429', failWith(429, '{"error":{"message":"slow down"}}')],
  ['malformed JSON', failWith(200, '{"choices": [')],
  [
    'an empty answer',
    failWith(
      200,
      JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: '' } }] }),
    ),
  ],
] as const) {
  test(`${name} from the model server ends in the offline answer`, async () => {
    const { reply, offline, logs } = await answerWith({ behaviour });
    assert.equal(reply.text, offline.text);
    assert.ok(logs.some((l) => /using the offline answer/u.test(l)));
  });
}

test('a model server that hangs is abandoned at the timeout with the offline answer', async () => {
  const { reply, offline, ms } = await answerWith(
    { behaviour: (req) => Boolean(req.url?.endsWith('/chat/completions')) }, // never answers
    400,
  );
  assert.equal(reply.text, offline.text);
  assert.ok(ms < 400 + 1500, `took ${ms} ms`);
});

test('a refused connection ends in the offline answer', async () => {
  const srv = await startOpenAITestServer();
  await srv.close();
  const model: ModelPath = {
    chat: createOpenAIChatModel({ baseURL: srv.baseURL, apiKey: 'k', model: 'm', timeoutMs: 1000 }),
    prompt: PromptTemplate.load(`${ROOT}prompts/answer.md`, ANSWER_PROMPT_PLACEHOLDERS),
    timeoutMs: 1000,
    town: '松村镇',
  };
  const reply = await new QuestionAnswerer(retriever, [], model).answerQuestion(QUESTION);
  assert.match(reply.text, /不收取任何费用/u);
});

test('a prompt file missing a placeholder is refused at start-up', () => {
  assert.throws(
    () => PromptTemplate.load(`${ROOT}prompts/answer.md`, ['nonexistent']),
    /\{nonexistent\}/u,
  );
});

test('a follow-up question is read with the previous one, until the history expires', async () => {
  let now = 0;
  const memory = new ConversationMemory({ now: () => now, ttlMs: 60_000 });
  const answerer = new QuestionAnswerer(retriever, [], undefined, memory);
  await answerer.answerQuestion('邻居家的树倒了砸坏俺家房子，想找村里调委会调解', {
    conversation: 'room1:alice',
  });
  const followUp = await answerer.answerQuestion('那要花钱不？', { conversation: 'room1:alice' });
  assert.match(followUp.text, /《人民调解法》第四条/u);
  const stranger = await answerer.answerQuestion('那要花钱不？', { conversation: 'room1:bob' });
  assert.doesNotMatch(stranger.text, /人民调解法/u);
  now = 61_000;
  const expired = await answerer.answerQuestion('那要花钱不？', { conversation: 'room1:alice' });
  assert.doesNotMatch(expired.text, /人民调解法/u);
});

test('conversation memory keeps a bounded number of turns and conversations', () => {
  const memory = new ConversationMemory({ maxTurns: 2, maxConversations: 3 });
  for (let i = 0; i < 5; i++) memory.remember('a', `q${i}`, 'a');
  assert.deepEqual(
    memory.recall('a').map((t) => t.question),
    ['q3', 'q4'],
  );
  for (const id of ['b', 'c', 'd']) memory.remember(id, 'q', 'a');
  assert.equal(memory.size, 3);
  assert.deepEqual(memory.recall('a'), []);
});

test('the model rewrites the question into legal terms for retrieval, once per question', async () => {
  const rewrites: string[] = [];
  const srv = await startOpenAITestServer({
    chatReply: (body) => {
      const prompt = promptOf(body);
      if (prompt.includes('检索词')) {
        rewrites.push(prompt);
        return '森林防火 野外用火 《森林法》第九十九条';
      }
      return '秋冬季节上山烧纸、烧荒都属于野外用火，要遵守森林防火规定[1]。';
    },
  });
  try {
    const model: ModelPath = {
      chat: createOpenAIChatModel({
        baseURL: srv.baseURL,
        apiKey: 'k',
        model: 'm',
        timeoutMs: 3000,
      }),
      prompt: PromptTemplate.load(`${ROOT}prompts/answer.md`, ANSWER_PROMPT_PLACEHOLDERS),
      rewritePrompt: PromptTemplate.load(`${ROOT}prompts/rewrite.md`, REWRITE_PROMPT_PLACEHOLDERS),
      timeoutMs: 3000,
      town: '松村镇',
    };
    const answerer = new QuestionAnswerer(retriever, [], model);
    // Nothing in the question itself says what it is about: only the rewrite can find it.
    const question = '俺想问个事儿，这个咋弄';
    const offline = await new QuestionAnswerer(retriever, []).answerQuestion(question);
    assert.doesNotMatch(offline.text, /森林|防火/u);
    const reply = await answerer.answerQuestion(question);
    assert.match(reply.text, /法律依据：\n1\. 《森林法》第/u);
    assert.match(rewrites[0]!, /俺想问个事儿/u);
    await answerer.answerQuestion(question);
    assert.equal(rewrites.length, 1, 'the rewrite is cached');
  } finally {
    await srv.close();
  }
});
