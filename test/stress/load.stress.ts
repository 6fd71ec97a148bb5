// Load (issue 7): 1,000 questions from 50 rooms and 200 people through wechaty-puppet-mock, 1,000
// requests from 20 concurrent HTTP clients, and bounded conversation memory. Offline answers on a
// temp workspace (guides, the 2023 report, a few statutes). Run by `npm run test:stress`.
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WechatyBuilder } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { QuestionAnswerer } from '../../src/answer/answer-question.ts';
import { ConversationMemory } from '../../src/answer/conversation-memory.ts';
import { loadServices } from '../../src/answer/services.ts';
import { createApp, type App } from '../../src/app.ts';
import type { Logger } from '../../src/bot/logger.ts';
import { HttpChannel } from '../../src/channels/http.ts';
import { WechatyChannel } from '../../src/channels/wechaty.ts';
import { loadConfig } from '../../src/config.ts';
import { listKnowledgeFiles } from '../../src/ingest/knowledge-files.ts';
import { ingestFile } from '../../src/ingest/split-document.ts';
import { buildRetriever } from '../../src/retrieve/build-retriever.ts';
import { loadSynonyms } from '../../src/retrieve/query-expansion.ts';
import {
  heapMb,
  forceGc,
  makeWorkspace,
  prng,
  quantile,
  sleep,
  summary,
  townshipQuestions,
  type Workspace,
} from './stress-helpers.ts';

const STATUTES = ['土地管理法', '人民调解法', '农村土地承包法', '劳动合同法', '反家庭暴力法'];
const QUESTION_POOL = 40;
const AT = '\u2005'; // WeChat puts a four-per-em space after an @name

let ws: Workspace;
let app: App;
/** The ~40 questions, each with the one reply the offline path gives it (all different). */
let questions: { text: string; answer: string }[] = [];
const warnings: string[] = [];

before(async () => {
  ws = makeWorkspace('fazhi-load-', STATUTES);
  const config = loadConfig(
    {
      KNOWLEDGE_DIR: ws.knowledgeDir,
      DATA_DIR: ws.dataDir,
      // Every question must be answered: the limits are not what is under test here.
      RATE_PER_PERSON_PER_MIN: '1000000',
      RATE_PER_GROUP_PER_MIN: '1000000',
    },
    '',
  );
  const log: Logger = { info: () => {}, warn: (line) => warnings.push(line) };
  app = await createApp(config, { log });

  // The expected reply of each question, asked once privately by a resident (same audiences as a
  // group). Questions whose reply another question shares are left out, so a reply names its
  // question: (room, person, reply text) is the marker each question is matched by.
  const byAnswer = new Map<string, string[]>();
  for (const [i, text] of townshipQuestions().entries()) {
    const reply = await app.bot.handle({
      channel: 'probe',
      chatId: `probe-${i}`,
      isGroup: false,
      senderId: `probe-${i}`,
      text,
      mentionedBot: true,
    });
    assert.ok(reply?.text, `no reply to the probe question ${text}`);
    byAnswer.set(reply.text, [...(byAnswer.get(reply.text) ?? []), text]);
  }
  questions = [...byAnswer]
    .filter(([, texts]) => texts.length === 1)
    .map(([answer, [text]]) => ({ text: text!, answer }))
    .slice(0, QUESTION_POOL);
  assert.ok(questions.length >= 30, `only ${questions.length} questions with distinct replies`);
});

after(() => {
  if (ws) rmSync(ws.dir, { recursive: true, force: true });
});

interface Planned {
  room: number;
  person: number;
  question: number;
  sentAt?: number;
  repliedAt?: number;
  replies: number;
}

/**
 * 200 people, each in 1-3 of 50 rooms (person i always in room i % 50, so every room has
 * members); 1,000 questions, 5 per person, each (room, person, question) at most once, and the
 * first question of person i asked in room i % 50 so every room is used.
 */
function plan(people: number, roomCount: number, total: number, random: () => number) {
  const roomsOf: number[][] = [];
  for (let p = 0; p < people; p++) {
    const rooms = new Set([p % roomCount]);
    const extra = Math.floor(random() * 3); // 0-2 more rooms
    while (rooms.size < 1 + extra) rooms.add(Math.floor(random() * roomCount));
    roomsOf.push([...rooms]);
  }
  const used = new Set<string>();
  const planned: Planned[] = [];
  for (let i = 0; i < total; i++) {
    const person = i % people;
    const mine = roomsOf[person]!;
    const room = i < people ? mine[0]! : mine[Math.floor(random() * mine.length)]!;
    let question = Math.floor(random() * questions.length);
    while (used.has(`${room}|${person}|${question}`)) question = (question + 1) % questions.length;
    used.add(`${room}|${person}|${question}`);
    planned.push({ room, person, question, replies: 0 });
  }
  // Shuffle so rooms and people interleave as they would in a busy morning.
  for (let i = planned.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [planned[i], planned[j]] = [planned[j]!, planned[i]!];
  }
  return { roomsOf, planned };
}

test(
  'wechat: 1,000 questions from 50 rooms and 200 people, each answered once, to the right person in the right room',
  { timeout: 150_000 },
  async () => {
    const PEOPLE = 200;
    const ROOMS = 50;
    const TOTAL = 1000;
    const CONCURRENCY = 40; // questions sent and not yet answered
    const SEQUENTIAL = 50; // the first ones one at a time: the latency without queueing
    const { roomsOf, planned } = plan(PEOPLE, ROOMS, TOTAL, prng(7));

    const mocker = new mock.Mocker();
    const puppet = new PuppetMock({ mocker });
    const wechaty = WechatyBuilder.build({ puppet });
    const channelLogs: string[] = [];
    const channel = new WechatyChannel({ rooms: [] }, { wechaty, log: (l) => channelLogs.push(l) });
    const self = mocker.createContact({ id: 'wxid_bot', name: '法治助手' });
    const name = (p: number) => `村民${String(p).padStart(3, '0')}`;
    const people = Array.from({ length: PEOPLE }, (_, p) =>
      mocker.createContact({ id: `wxid_p${p}`, name: name(p) }),
    );
    const rooms = Array.from({ length: ROOMS }, (_, r) =>
      mocker.createRoom({
        id: `room${r}@chatroom`,
        topic: `松村第${r + 1}村民群`,
        memberIdList: [
          self.id,
          ...people.filter((_, p) => roomsOf[p]!.includes(r)).map((c) => c.id),
        ],
      }),
    );
    const roomIndex = new Map(rooms.map((room, r) => [room.id, r]));
    const personByName = new Map(people.map((_, p) => [name(p), p]));

    const pending = new Map<string, Planned>(); // "room|person|question" -> the question
    const askedIn = new Map<number, Set<number>>(); // room -> people who asked there
    const problems: string[] = [];
    let answered = 0;
    let wake: (() => void) | undefined;

    // Every message the bot's account sends comes back on its contact.
    (self as unknown as EventEmitter).on('message', (msg: mock.MessageMock) => {
      if (msg.talker().id !== self.id) return;
      const now = performance.now();
      const roomId = msg.room()?.id;
      const text = msg.text() ?? '';
      const match = /^@(\S+)\s+([\s\S]*)$/u.exec(text);
      const r = roomId === undefined ? undefined : roomIndex.get(roomId);
      const p = match ? personByName.get(match[1]!) : undefined;
      if (r === undefined || p === undefined || !match) {
        problems.push(`reply outside a room or without an @person: to ${roomId} "${text}"`);
        return;
      }
      if (!askedIn.get(r)?.has(p)) {
        problems.push(`reply in room ${r} @-mentions ${name(p)}, who never asked there`);
        return;
      }
      const q = questions.findIndex((x) => x.answer === match[2]);
      const item = pending.get(`${r}|${p}|${q}`);
      if (q < 0 || !item) {
        problems.push(`reply in room ${r} to ${name(p)} matches none of their questions`);
        return;
      }
      item.replies++;
      if (item.replies === 1) {
        item.repliedAt = now;
        answered++;
        wake?.();
      } else {
        problems.push(`question ${q} of ${name(p)} in room ${r} answered ${item.replies} times`);
      }
    });

    await channel.start((message) => app.bot.handle(message));
    const loggedIn = new Promise<void>((resolve) => wechaty.on('login', () => resolve()));
    mocker.login(self);
    await loggedIn;

    const heapBefore = heapMb();
    const deadline = Date.now() + 120_000;
    const waitForAnswers = async (atLeast: number) => {
      while (answered < atLeast) {
        if (Date.now() > deadline) {
          throw new Error(`timed out: ${answered} of ${TOTAL} answered; ${problems.join('; ')}`);
        }
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), sleep(200)]);
      }
    };
    try {
      let started = performance.now();
      for (const [i, item] of planned.entries()) {
        await waitForAnswers(i + 1 - (i < SEQUENTIAL ? 1 : CONCURRENCY));
        if (i === SEQUENTIAL) started = performance.now();
        const { text } = questions[item.question]!;
        pending.set(`${item.room}|${item.person}|${item.question}`, item);
        askedIn.set(item.room, (askedIn.get(item.room) ?? new Set()).add(item.person));
        item.sentAt = performance.now();
        people[item.person]!.say(`@法治助手${AT}${text}`, [self]).to(rooms[item.room]!);
      }
      await waitForAnswers(TOTAL);
      const elapsed = (performance.now() - started) / 1000;
      await sleep(1500); // late duplicates would arrive here
      const heapAfter = heapMb();

      assert.deepEqual(problems, [], 'every reply goes to one asker in the room they asked in');
      assert.equal(answered, TOTAL);
      assert.ok(
        planned.every((item) => item.replies === 1),
        'every question answered exactly once',
      );
      assert.equal(askedIn.size, ROOMS, 'questions came from every room');
      assert.equal(new Set(planned.map((item) => item.person)).size, PEOPLE);
      const handlerFailures = warnings.filter((w) => /handler failed|rate limit/u.test(w));
      assert.deepEqual(handlerFailures, [], 'no handler failures and no rate-limited question');
      assert.ok(
        !channelLogs.some((l) => /failed/u.test(l)),
        `channel failures: ${channelLogs.filter((l) => /failed/u.test(l)).join('; ')}`,
      );

      const latency = (item: Planned) => item.repliedAt! - item.sentAt!;
      const alone = planned.slice(0, SEQUENTIAL).map(latency);
      const loaded = planned.slice(SEQUENTIAL).map(latency);
      summary(
        `LOAD wechat: ${TOTAL} questions, ${ROOMS} rooms, ${PEOPLE} people, ` +
          `${((TOTAL - SEQUENTIAL) / elapsed).toFixed(1)} q/s at ${CONCURRENCY} in flight; first ${SEQUENTIAL} one at a time p50 ` +
          `${quantile(alone, 0.5).toFixed(0)} ms, p95 ${quantile(alone, 0.95).toFixed(0)} ms; ` +
          `the rest p50 ${quantile(loaded, 0.5).toFixed(0)} ms, ` +
          `p95 ${quantile(loaded, 0.95).toFixed(0)} ms, max ${Math.max(...loaded).toFixed(0)} ms, ` +
          `heap ${heapAfter - heapBefore >= 0 ? '+' : ''}${(heapAfter - heapBefore).toFixed(1)} MB` +
          `${forceGc() ? '' : ' (no forced GC)'}`,
      );
    } finally {
      await channel.stop();
    }
  },
);

test(
  'http: 1,000 /api/chat requests from 20 concurrent clients and 200 users, each answered 200 with its reply',
  { timeout: 120_000 },
  async () => {
    const CLIENTS = 20;
    const USERS = 200;
    const BATCH = 500; // two equal batches: the heap after each is compared
    const http = new HttpChannel({ host: '127.0.0.1', port: 0 });
    await http.start((message) => app.bot.handle(message));
    const random = prng(11);
    const latencies: number[] = [];
    const failures: string[] = [];
    const heaps: number[] = [heapMb()];
    const deadline = Date.now() + 100_000;
    let elapsed = 0;
    try {
      for (let batch = 0; batch < 2; batch++) {
        const jobs = Array.from({ length: BATCH }, (_, i) => ({
          userId: `u${(batch * BATCH + i) % USERS}`,
          question: Math.floor(random() * questions.length),
        }));
        let next = 0;
        const started = performance.now();
        const client = async () => {
          while (next < jobs.length && Date.now() < deadline) {
            const job = jobs[next++]!;
            const expected = questions[job.question]!;
            const t0 = performance.now();
            const res = await fetch(`${http.address}/api/chat`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ userId: job.userId, text: expected.text }),
            });
            const body = (await res.json()) as { text?: string };
            latencies.push(performance.now() - t0);
            if (res.status !== 200 || !body.text?.trim()) {
              failures.push(`${job.userId}: ${res.status} ${JSON.stringify(body).slice(0, 80)}`);
            } else if (body.text !== expected.answer) {
              failures.push(`${job.userId}: the reply is not the one for "${expected.text}"`);
            }
          }
        };
        await Promise.all(Array.from({ length: CLIENTS }, client));
        elapsed += (performance.now() - started) / 1000;
        heaps.push(heapMb());
      }
    } finally {
      await http.stop();
    }
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failed requests`);
    assert.equal(latencies.length, 2 * BATCH, 'all requests done before the deadline');
    const growth = heaps[2]! - heaps[1]!;
    summary(
      `LOAD http: ${2 * BATCH} requests, ${CLIENTS} concurrent clients, ${USERS} users, ` +
        `${((2 * BATCH) / elapsed).toFixed(1)} req/s, p50 ${quantile(latencies, 0.5).toFixed(0)} ms, ` +
        `p95 ${quantile(latencies, 0.95).toFixed(0)} ms, heap after batch 1 ${heaps[1]!.toFixed(1)} MB, ` +
        `after batch 2 ${heaps[2]!.toFixed(1)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB)`,
    );
    assert.ok(growth < 16, `heap grew ${growth.toFixed(1)} MB between two equal batches`);
  },
);

test(
  'memory: 10,000 conversations through the answerer and 200,000 into the memory stay at the cap; the heap stays flat',
  { timeout: 90_000 },
  async () => {
    const CAP = 500;
    const PER_BATCH = 5_000;
    // A small lexical retriever (two guides, one statute) so thousands of answers take seconds;
    // the memory is the answerer's own (as the app builds it), with a small cap.
    const files = listKnowledgeFiles(ws.knowledgeDir).filter((f) =>
      ['guides/邻里纠纷与人民调解.md', 'guides/宅基地与建房.md', 'laws/人民调解法.md'].includes(
        f.source,
      ),
    );
    const chunks = (await Promise.all(files.map((f) => ingestFile(f)))).flat();
    const retriever = await buildRetriever({
      chunks,
      synonyms: loadSynonyms(join(ws.knowledgeDir, 'synonyms.tsv')),
    });
    const memory = new ConversationMemory({ maxConversations: CAP });
    const answerer = new QuestionAnswerer(
      retriever,
      loadServices(join(ws.knowledgeDir, 'guides', '本地法律服务.md')),
      undefined,
      memory,
    );
    const texts = questions.map((q) => q.text);
    const started = performance.now();
    let asked = 0;
    let maxSize = 0;
    const run = async (batch: string, count: number) => {
      for (let i = 0; i < count; i++) {
        await answerer.answerQuestion(texts[i % texts.length]!, {
          conversation: `wechat:room${i % 50}@chatroom:${batch}-${i}`,
        });
        asked++;
        if (i % 100 === 0) maxSize = Math.max(maxSize, memory.size);
      }
      maxSize = Math.max(maxSize, memory.size);
    };
    await run('warm', 1000);
    const heap0 = heapMb();
    await run('b1', PER_BATCH);
    const heap1 = heapMb();
    await run('b2', PER_BATCH);
    const heap2 = heapMb();
    const seconds = (performance.now() - started) / 1000;

    assert.ok(maxSize <= CAP, `memory held ${maxSize} conversations, cap ${CAP}`);
    assert.equal(memory.size, CAP, 'full, not over');
    assert.deepEqual(memory.recall('wechat:room0@chatroom:b1-0'), [], 'the oldest were evicted');
    const last = `wechat:room${(PER_BATCH - 1) % 50}@chatroom:b2-${PER_BATCH - 1}`;
    assert.equal(memory.recall(last).length, 1, 'the newest is remembered');

    // One conversation asking many times keeps only the last few turns.
    for (let i = 0; i < 30; i++) {
      await answerer.answerQuestion(texts[i % texts.length]!, { conversation: 'one' });
    }
    assert.ok(memory.recall('one').length <= 3, `${memory.recall('one').length} turns kept`);
    assert.ok(memory.size <= CAP);

    // Expiry: an idle conversation is forgotten.
    let clock = 0;
    const timed = new ConversationMemory({ ttlMs: 60_000, now: () => clock });
    timed.remember('c', '邻居占地', '答');
    clock = 59_000;
    assert.equal(timed.recall('c').length, 1);
    clock = 121_000;
    assert.deepEqual(timed.recall('c'), []);

    // The memory alone at the app's default cap (5,000), with chat-sized answers: two equal
    // batches of 100,000 new conversations each. Then its worst case: every conversation at
    // the turn cap with its own (flat, not shared) ~600-character answers.
    const emptyHeap = heapMb();
    const big = new ConversationMemory();
    const answer = questions[0]!.answer;
    const fill = (batch: string, conversations: number, turns: number) => {
      for (let i = 0; i < conversations; i++) {
        for (let t = 0; t < turns; t++) {
          big.remember(
            `wechat:room${i % 50}@chatroom:wxid_${batch}${i}`,
            texts[(i + t) % texts.length]!,
            Buffer.from(`${answer.padEnd(590, '。')}${batch}${i}-${t}`).toString(),
          );
        }
      }
    };
    fill('a', 100_000, 1);
    const bigHeap1 = heapMb();
    fill('b', 100_000, 1);
    const bigHeap2 = heapMb();
    assert.equal(big.size, 5000);
    fill('c', 5000, 3);
    const fullHeap = heapMb();
    assert.equal(big.size, 5000);
    assert.ok(big.recall('wechat:room0@chatroom:wxid_c0').length === 3);

    const growth = heap2 - heap1;
    const bigGrowth = bigHeap2 - bigHeap1;
    const sign = (mb: number) => `${mb >= 0 ? '+' : ''}${mb.toFixed(1)} MB`;
    summary(
      `LOAD memory: ${asked} answers over as many conversation ids, cap ${CAP}, max held ${maxSize}, ` +
        `${(asked / seconds).toFixed(0)} answers/s; heap after warm-up ${heap0.toFixed(1)} MB, ` +
        `after batch 1 ${heap1.toFixed(1)} MB, after batch 2 ${heap2.toFixed(1)} MB (${sign(growth)}); ` +
        `memory alone (cap 5000): 2 x 100000 conversations, held ${big.size}, heap ${sign(bigGrowth)}; ` +
        `full at the cap (5000 x 3 turns of ~600 chars) ${sign(fullHeap - emptyHeap)} over empty` +
        `${forceGc() ? '' : ' (no forced GC)'}`,
    );
    assert.ok(growth < 8, `heap grew ${growth.toFixed(1)} MB between two equal batches`);
    assert.ok(bigGrowth < 8, `heap grew ${bigGrowth.toFixed(1)} MB between two equal batches`);
    assert.ok(fullHeap - emptyHeap < 64, `a full memory takes ${sign(fullHeap - emptyHeap)}`);
  },
);
