import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOpenAIChatModel } from '../../src/answer/chat-model.ts';
import { PromptTemplate } from '../../src/answer/prompt-template.ts';
import { checkDraftNumbers } from '../../src/draft/check-draft.ts';
import { draftSection } from '../../src/draft/draft-offline.ts';
import {
  DRAFT_PROMPT_PLACEHOLDERS,
  draftFullReportWithModel,
  draftWithModel,
  type DraftModel,
  type ModelFullDraft,
} from '../../src/draft/draft-with-model.ts';
import { partByNumber } from '../../src/draft/report-parts.ts';
import { startOpenAITestServer, type Behaviour } from '../helpers/openai-test-server.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const NOTES = '- 全年开展普法宣传15场，发放资料2000余份\n- 调解纠纷38起，成功率95%';
const EXAMPLES = [
  '（四）强化法治宣传，优化法治政府建设环境。一是抓好青少年的法治教育。二是发放各类宣传材料3000余份。',
];
const MEASURES = partByNumber(1);

const GOOD = [
  '**一、法治政府建设的主要举措和成效**',
  '（一）强化法治宣传，营造良好氛围。全年开展普法宣传15场，发放宣传资料2000余份。',
  '- （二）强化依法治理，化解矛盾纠纷。调解矛盾纠纷38起，调解成功率95%。',
].join('\n');

async function draftWith(
  server: { chatReply?: (body: unknown) => string; behaviour?: Behaviour },
  run: (model: DraftModel) => Promise<unknown> = (model) =>
    draftWithModel(model, MEASURES, NOTES, EXAMPLES, { reportYear: 2024 }),
  timeoutMs = 3000,
) {
  const srv = await startOpenAITestServer(server);
  const logs: string[] = [];
  const model: DraftModel = {
    chat: createOpenAIChatModel({
      baseURL: srv.baseURL,
      apiKey: 'k',
      model: 'toy-chat',
      timeoutMs,
    }),
    prompt: PromptTemplate.load(`${ROOT}prompts/draft.md`, DRAFT_PROMPT_PLACEHOLDERS),
    timeoutMs,
    log: (line) => logs.push(line),
  };
  try {
    const result = await run(model);
    return { result, logs, requests: srv.requests };
  } finally {
    await srv.close();
  }
}

const promptOf = (body: unknown) =>
  (body as { messages: { content: string }[] }).messages[0]!.content;
const offline = draftSection(MEASURES, NOTES, EXAMPLES, { reportYear: 2024 });

test('a model draft that keeps every figure is used, without Markdown or a repeated heading', async () => {
  const { result, logs, requests } = await draftWith({ chatReply: () => GOOD });
  assert.deepEqual(result, {
    text: [
      '一、法治政府建设的主要举措和成效',
      '（一）强化法治宣传，营造良好氛围。全年开展普法宣传15场，发放宣传资料2000余份。',
      '（二）强化依法治理，化解矛盾纠纷。调解矛盾纠纷38起，调解成功率95%。',
    ].join('\n'),
    missing: [],
    via: 'model',
  });
  assert.deepEqual(logs, []);
  const prompt = promptOf(requests[0]!.body);
  assert.match(prompt, /要起草的部分：一、法治政府建设的主要举措和成效/u);
  assert.ok(prompt.includes(NOTES.trim()));
  assert.ok(prompt.includes(EXAMPLES[0]!));
  assert.match(prompt, /“（一）小标题。”/u);
  assert.doesNotMatch(prompt, /\{(?:part|format|notes|examples)\}/u);
});

test('a model draft that invents a figure is rejected: the offline draft, and a log line', async () => {
  const invented = GOOD.replace('调解成功率95%。', '调解成功率95%，惠及群众3000余人。');
  const { result, logs } = await draftWith({ chatReply: () => invented });
  assert.deepEqual(result, {
    ...offline,
    via: 'offline',
    fallbackReason: 'invented figures: 3000余人',
  });
  assert.deepEqual(checkDraftNumbers(NOTES, offline.text, []), {
    missingFromDraft: [],
    invented: [],
  });
  assert.equal(logs.length, 1);
  assert.match(
    logs[0]!,
    /^draft 一、主要举措和成效: model draft not used \(invented figures: 3000余人\)/u,
  );
});

test('figures copied from the style examples count as invented', async () => {
  const copied = GOOD.replace('2000余份', '2000余份，各类宣传材料3000余份');
  const { result } = await draftWith({ chatReply: () => copied });
  assert.equal((result as { via: string }).via, 'offline');
});

test('a model draft that drops or alters a figure is rejected', async () => {
  const altered = GOOD.replace('2000余份', '2000份').replace('，调解成功率95%', '');
  const { result, logs } = await draftWith({ chatReply: () => altered });
  assert.equal((result as { via: string }).via, 'offline');
  assert.match(logs[0]!, /dropped figures: 2000余份、95%/u);
});

test('a 500, a hang and an empty reply fall back to the offline draft', async () => {
  const error: Behaviour = (req, _body, res) => {
    if (!req.url?.endsWith('/chat/completions')) return false;
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'boom' } }));
    return true;
  };
  const failed = await draftWith({ behaviour: error });
  assert.equal((failed.result as { via: string }).via, 'offline');
  assert.equal((failed.result as { text: string }).text, offline.text);
  assert.match(failed.logs[0]!, /model error: 500/u);

  const hang: Behaviour = (req) => Boolean(req.url?.endsWith('/chat/completions'));
  const started = performance.now();
  const slow = await draftWith(
    { behaviour: hang },
    (model) => draftWithModel(model, MEASURES, NOTES, EXAMPLES, { reportYear: 2024 }),
    300,
  );
  assert.ok(performance.now() - started < 2500);
  assert.equal((slow.result as { via: string }).via, 'offline');
  assert.match(slow.logs[0]!, /no reply within 300 ms|timed out/iu);

  const empty = await draftWith({ chatReply: () => '```\n\n```' });
  assert.equal((empty.result as { via: string }).via, 'offline');
});

test('a model draft with broken numbering or other parts is rejected', async () => {
  const broken = await draftWith({ chatReply: () => GOOD.replace('（二）', '（三）') });
  assert.match(broken.logs[0]!, /numbering/u);
  const more = await draftWith({ chatReply: () => `${GOOD}\n二、存在的不足和原因\n一是人手少。` });
  assert.match(more.logs[0]!, /other parts/u);
});

test('the whole report asks the model only for the parts with notes', async () => {
  const notes = '一、\n全年开展普法宣传15场\n四、\n无\n';
  const { result, requests } = await draftWith(
    {
      chatReply: (body) =>
        promptOf(body).includes('要起草的部分：一、')
          ? '（一）强化法治宣传，营造良好氛围。全年开展普法宣传15场。'
          : '无',
    },
    (model) => draftFullReportWithModel(model, notes, () => [], { reportYear: 2024 }),
  );
  const full = result as ModelFullDraft;
  assert.equal(requests.length, 2);
  assert.deepEqual(
    full.parts.map((p) => p.draft.via),
    ['model', 'offline', 'offline', 'model', 'offline', 'offline', 'offline'],
  );
  assert.deepEqual(
    full.missingParts.map((p) => p.numeral),
    ['二', '三', '五', '六', '七'],
  );
  assert.match(full.text, /\n四、履行法院生效裁判情况\n无\n五、2025年推进/u);
});
