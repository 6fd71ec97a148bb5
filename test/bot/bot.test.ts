import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Reply } from '../../src/answer/reply.ts';
import { Bot, type AskContext, type BotHandlers, type BotSettings } from '../../src/bot/bot.ts';
import { createLogger } from '../../src/bot/logger.ts';
import { maskEchoedNumbers } from '../../src/bot/redact.ts';
import type { Incoming } from '../../src/bot/types.ts';

function setup(overrides: Partial<BotSettings> = {}, now = { t: 1_000_000 }) {
  const logs: string[] = [];
  const asked: { question: string; context: AskContext }[] = [];
  const handlers: BotHandlers = {
    answer: async (question, context) => {
      asked.push({ question, context });
      return { text: `答：${question}`, citations: [] };
    },
    lookup: async (query) => ({ text: `查到：${query}`, citations: [] }),
    draft: async (section, notes) => ({ text: `草稿：${section}|${notes}`, citations: [] }),
    reindex: async () => '已重建',
    status: async () => '正常',
    saveUpload: async (name, bytes) => `已收到 ${name} ${bytes.length}`,
  };
  const bot = new Bot(handlers, {
    prefixes: ['法治助手'],
    roles: { staff: ['s1'], adviser: ['wechat:a1'], admin: ['boss'] },
    maxAgeMs: 180_000,
    maxTextChars: 100,
    perPersonPerMinute: 5,
    perGroupPerMinute: 8,
    now: () => now.t,
    log: createLogger((l) => logs.push(l), ['sk-secret-123456']),
    ...overrides,
  });
  return { bot, logs, asked, now };
}

const msg = (over: Partial<Incoming> = {}): Incoming => ({
  channel: 'wechat',
  chatId: 'room1',
  isGroup: true,
  senderId: 'u1',
  text: '邻居占了俺家宅基地咋办',
  mentionedBot: true,
  ...over,
});

test('drops its own, old, duplicate, empty and unaddressed messages, logging why', async () => {
  const { bot, logs } = setup();
  assert.equal(await bot.handle(msg({ fromSelf: true })), undefined);
  assert.equal(await bot.handle(msg({ sentAt: 1_000_000 - 181_000 })), undefined);
  assert.ok(await bot.handle(msg({ messageId: 'm1' })));
  assert.equal(await bot.handle(msg({ messageId: 'm1' })), undefined);
  assert.equal(await bot.handle(msg({ text: '   ' })), undefined);
  assert.equal(await bot.handle(msg({ mentionedBot: false })), undefined);
  for (const why of ['own message', 'too old', 'duplicate', 'empty', 'not addressed']) {
    assert.ok(
      logs.some((l) => l.includes(why)),
      why,
    );
  }
});

test('answers a group message that starts with the prefix, without the prefix', async () => {
  const { bot, asked } = setup();
  const reply = await bot.handle(msg({ mentionedBot: false, text: '法治助手，欠工资咋办' }));
  assert.equal(reply?.text, '答：欠工资咋办');
  assert.equal(asked[0]!.question, '欠工资咋办');
});

test('an over-long message gets a polite limit, not silence', async () => {
  const { bot, asked } = setup();
  const reply = await bot.handle(msg({ text: '长'.repeat(101) }));
  assert.match(reply!.text, /太长.*100字以内/u);
  assert.equal(asked.length, 0);
});

test('roles decide the commands: residents ask, advisers look up, staff draft, admins re-index', async () => {
  const { bot } = setup();
  const as = (senderId: string, text: string) =>
    bot.handle(msg({ isGroup: false, chatId: senderId, senderId, text }));
  assert.match((await as('u1', '查 矛盾纠纷'))!.text, /没有权限.*直接发问题/u);
  assert.equal((await as('a1', '查 矛盾纠纷'))!.text, '查到：矛盾纠纷');
  assert.match((await as('a1', '起草 存在的不足\n- 宣传不够'))!.text, /没有权限/u);
  assert.equal(
    (await as('s1', '起草 存在的不足\n- 宣传不够'))!.text,
    '草稿：存在的不足|- 宣传不够',
  );
  assert.match((await as('s1', '重建索引'))!.text, /没有权限/u);
  assert.equal((await as('boss', '重建索引'))!.text, '已重建');
  assert.equal((await as('boss', '状态'))!.text, '正常');
  assert.match((await as('u1', '帮助'))!.text, /直接发问题/u);
  assert.match((await as('s1', '起草'))!.text, /请写明要起草的部分/u);
});

test('internal documents only in private chats with staff, advisers and admins', async () => {
  const { bot, asked } = setup();
  await bot.handle(msg({ senderId: 's1' })); // staff in a group
  await bot.handle(msg({ isGroup: false, senderId: 'u1' })); // resident in private
  await bot.handle(msg({ isGroup: false, senderId: 's1' })); // staff in private
  assert.deepEqual(
    asked.map((a) => a.context.audiences),
    [['public'], ['public'], ['public', 'internal']],
  );
});

test('a group question with an ID or phone number is answered without repeating them, and logs mask them', async () => {
  const { bot, asked, logs } = setup();
  const reply = await bot.handle(
    msg({ text: '我身份证110101199003071234，电话13812345678，被骗了咋办' }),
  );
  assert.match(reply!.text, /^提醒：请不要在群里发身份证号、手机号/u);
  assert.doesNotMatch(reply!.text, /110101199003071234|13812345678/u);
  assert.doesNotMatch(asked[0]!.question, /110101199003071234|13812345678/u);
  assert.ok(logs.every((l) => !/110101199003071234|13812345678/u.test(l)));
});

test('no command echoes a number a member sent into a group; numbers the bot gives stay', async () => {
  const { bot } = setup({}, { t: 1_000_000 });
  // The draft handler echoes its section name, as the drafter does for an unknown section.
  const group = await bot.handle(
    msg({
      senderId: 's1',
      text: '起草 138 1234 5678\n- 走访１１０１０１１９９００３０７１２３Ｘ户',
    }),
  );
  assert.doesNotMatch(group!.text, /138\s?1234\s?5678|1101011990030712/u);
  assert.match(group!.text, /\[手机号\]/u);
  assert.match(group!.text, /\[身份证号\]/u);
  const privately = await bot.handle(
    msg({ isGroup: false, senderId: 's1', text: '起草 13812345678' }),
  );
  assert.match(privately!.text, /13812345678/u, 'a private chat keeps the text as sent');
  assert.equal(
    maskEchoedNumbers('调解员 13912345678；您的号码 138-1234-5678', '我电话13812345678'),
    '调解员 13912345678；您的号码 [手机号]',
  );
});

test('rate limits per person and per group', async () => {
  const { bot } = setup();
  const replies: (Reply | undefined)[] = [];
  for (let i = 0; i < 6; i++) replies.push(await bot.handle(msg({ senderId: 'p1' })));
  assert.match(replies[5]!.text, /太快/u);
  let answered = 0;
  for (let i = 0; i < 10; i++) if (await bot.handle(msg({ senderId: `x${i}` }))) answered++;
  assert.equal(answered, 3, 'the group had used 5 of its 8 (the 6th was stopped per person)');
});

test('one answer at a time per conversation, in order', async () => {
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const bot = new Bot(
    {
      answer: async (q) => {
        order.push(`start ${q}`);
        if (q === '一') await gate;
        order.push(`end ${q}`);
        return { text: q, citations: [] };
      },
    },
    {
      prefixes: [],
      roles: { staff: [], adviser: [], admin: [] },
      maxAgeMs: 1e9,
      maxTextChars: 100,
      perPersonPerMinute: 100,
      perGroupPerMinute: 100,
      log: createLogger(() => undefined),
    },
  );
  const first = bot.handle(msg({ text: '一' }));
  const second = bot.handle(msg({ text: '二' }));
  const other = bot.handle(msg({ text: '三', senderId: 'u2' }));
  await other;
  release();
  await Promise.all([first, second]);
  assert.deepEqual(order, ['start 一', 'start 三', 'end 三', 'end 一', 'start 二', 'end 二']);
});

test('files: staff uploads in private are saved, others refused; a failing handler gets a polite reply', async () => {
  const { bot } = setup();
  const file = { name: 'a.docx', bytes: new Uint8Array([1, 2, 3]) };
  assert.equal(
    (await bot.handle(msg({ isGroup: false, senderId: 's1', text: '', file })))!.text,
    '已收到 a.docx 3',
  );
  assert.match(
    (await bot.handle(msg({ isGroup: false, senderId: 'u1', text: '', file })))!.text,
    /只有镇里的工作人员/u,
  );
  const failing = new Bot(
    {
      answer: async () => {
        throw new Error('boom');
      },
    },
    {
      prefixes: [],
      roles: { staff: [], adviser: [], admin: [] },
      maxAgeMs: 1e9,
      maxTextChars: 100,
      perPersonPerMinute: 9,
      perGroupPerMinute: 9,
      log: createLogger(() => undefined),
    },
  );
  assert.match((await failing.handle(msg()))!.text, /出了问题/u);
});

test('over HTTP a self-declared id gets a role only when listed as http:id', async () => {
  const { bot } = setup({ roles: { staff: ['s1', 'http:gateway-staff'], adviser: [], admin: [] } });
  assert.equal(bot.roleOf({ channel: 'http', senderId: 's1' }), 'resident');
  assert.equal(bot.roleOf({ channel: 'http', senderId: 'gateway-staff' }), 'staff');
  assert.equal(bot.roleOf({ channel: 'wechat', senderId: 's1' }), 'staff');
});
