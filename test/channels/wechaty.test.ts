import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bot, type BotHandlers } from '../../src/bot/bot.ts';
import { createLogger } from '../../src/bot/logger.ts';
import type { Incoming, Reply } from '../../src/bot/types.ts';
import { splitMessage } from '../../src/channels/wechaty.ts';
import { startMockWechat, waitFor } from './mock-wechat.ts';

const AT = '\u2005'; // WeChat puts a four-per-em space after an @name

/** A fake core: records what people sent and answers "答：<text>" when addressed. */
function fakeCore(answer: (m: Incoming) => Reply | undefined = (m) => reply(`答：${m.text}`)) {
  const received: Incoming[] = [];
  const handle = async (m: Incoming) => {
    if (m.fromSelf) return undefined; // the bot's own sends come back as messages
    received.push(m);
    if (m.isGroup && !m.mentionedBot) return undefined;
    return answer(m);
  };
  return { received, handle };
}

function reply(text: string, file?: Reply['file']): Reply {
  return { text, citations: [], ...(file && { file }) };
}

test('a room @mention is answered in the room with an @ to the asker', async () => {
  const core = fakeCore();
  const w = await startMockWechat(core.handle);
  try {
    w.resident.say(`@法治助手${AT}邻居占了俺家宅基地咋办`, [w.self]).to(w.villageRoom);
    const answer = await waitFor('the room reply', () => w.sent[0]);
    assert.equal(answer.to, w.villageRoom.id);
    assert.match(answer.text, /^@张大爷\s+答：邻居占了俺家宅基地咋办$/u);

    const m = core.received[0]!;
    assert.equal(m.channel, 'wechat');
    assert.equal(m.chatId, w.villageRoom.id);
    assert.equal(m.isGroup, true);
    assert.equal(m.senderId, w.resident.id);
    assert.equal(m.senderName, '张大爷');
    assert.equal(m.text, '邻居占了俺家宅基地咋办', 'the @name is stripped');
    assert.equal(m.mentionedBot, true);
    assert.equal(m.fromSelf, false);
    assert.ok(m.messageId);
    assert.ok(Math.abs(Date.now() - m.sentAt!) < 60_000);
  } finally {
    await w.stop();
  }
});

test('an unaddressed room message reaches the core as not mentioned and gets no reply', async () => {
  const core = fakeCore();
  const w = await startMockWechat(core.handle);
  try {
    w.resident.say('今天谁去镇上赶集').to(w.villageRoom);
    await waitFor('the message at the core', () => core.received.length === 1);
    assert.equal(core.received[0]!.mentionedBot, false);
    assert.equal(core.received[0]!.text, '今天谁去镇上赶集');
    // A later addressed message is answered, and it is the only reply.
    w.resident.say(`@法治助手${AT}赶集的摊位费合法吗`, [w.self]).to(w.villageRoom);
    await waitFor('the reply', () => w.sent.length === 1);
    assert.match(w.sent[0]!.text, /赶集的摊位费合法吗/u);
    assert.equal(w.sent.length, 1);
  } finally {
    await w.stop();
  }
});

test('rooms not on the allow-list are ignored; allowed rooms match by topic or id', async () => {
  const core = fakeCore();
  const w = await startMockWechat(core.handle, ['松村村民群']);
  try {
    w.resident.say(`@法治助手${AT}广场舞扰民怎么办`, [w.self]).to(w.otherRoom);
    await waitFor('the allow-list log', () => w.logs.find((l) => l.includes('allow-list')));
    assert.match(w.logs.join('\n'), /广场舞群.*other@chatroom/u);
    w.resident.say(`@法治助手${AT}宅基地咋办`, [w.self]).to(w.villageRoom);
    await waitFor('the reply in the allowed room', () => w.sent.length === 1);
    assert.equal(w.sent[0]!.to, w.villageRoom.id);
    assert.deepEqual(
      core.received.map((m) => m.chatId),
      [w.villageRoom.id],
      'the other room never reached the core',
    );
  } finally {
    await w.stop();
  }

  const byId = fakeCore();
  const w2 = await startMockWechat(byId.handle, ['other@chatroom']);
  try {
    w2.resident.say(`@法治助手${AT}广场舞扰民怎么办`, [w2.self]).to(w2.otherRoom);
    await waitFor('the reply in the room allowed by id', () => w2.sent[0]);
    assert.equal(w2.sent[0]!.to, 'other@chatroom');
  } finally {
    await w2.stop();
  }
});

test('a private question is answered privately', async () => {
  const core = fakeCore();
  const w = await startMockWechat(core.handle);
  try {
    w.resident.say('老人赡养费怎么算').to(w.self);
    const answer = await waitFor('the private reply', () => w.sent[0]);
    assert.deepEqual(answer, { to: w.resident.id, text: '答：老人赡养费怎么算' });
    const m = core.received[0]!;
    assert.equal(m.isGroup, false);
    assert.equal(m.chatId, w.resident.id);
    assert.equal(m.mentionedBot, true);
    assert.equal(m.text, '老人赡养费怎么算');
  } finally {
    await w.stop();
  }
});

test('a long reply is sent as several messages under the limit, in order', async () => {
  const lines = Array.from({ length: 40 }, (_, i) => `第${i + 1}条：${'法'.repeat(95)}`);
  const core = fakeCore(() => reply(lines.join('\n')));
  const w = await startMockWechat(core.handle);
  try {
    w.resident.say('把相关规定都发我').to(w.self);
    await waitFor('the reply to finish', () => w.sent.some((s) => s.text.includes('第40条')));
    assert.ok(w.sent.length >= 3, `sent ${w.sent.length} messages`);
    for (const s of w.sent) assert.ok(s.text.length <= 1500, `${s.text.length} chars`);
    assert.equal(w.sent.map((s) => s.text).join('\n'), lines.join('\n'), 'split at line ends');
  } finally {
    await w.stop();
  }
});

test('splitMessage cuts at line ends, and cuts over-long lines without splitting characters', () => {
  assert.deepEqual(splitMessage('短\n回答'), ['短\n回答']);
  assert.deepEqual(splitMessage('aaa\nbbb\nccc', 7), ['aaa\nbbb', 'ccc']);
  assert.deepEqual(splitMessage('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(splitMessage('😀😀😀', 2), ['😀😀', '😀']);
  assert.deepEqual(splitMessage('a\n\n\n'), ['a']);
  assert.deepEqual(splitMessage(''), []);
});

test('a draft reply with a file sends the text, then the file', async () => {
  const bytes = new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]);
  const core = fakeCore(() => reply('草稿如下', { name: '存在的不足.docx', bytes }));
  const w = await startMockWechat(core.handle);
  try {
    w.staff.say('起草 存在的不足').to(w.self);
    await waitFor('the file', () => w.sent.length === 2);
    assert.deepEqual(w.sent[0], { to: w.staff.id, text: '草稿如下' });
    assert.equal(w.sent[1]!.to, w.staff.id);
    assert.equal(w.sent[1]!.file!.name, '存在的不足.docx');
    assert.deepEqual(new Uint8Array(w.sent[1]!.file!.bytes), bytes);
  } finally {
    await w.stop();
  }
});

test('a private file reaches the core as name + bytes', async () => {
  const core = fakeCore(() => reply('已收到'));
  const w = await startMockWechat(core.handle);
  try {
    w.sendFile(w.staff, '村规民约.txt', Buffer.from('第一条 村民应当遵守法律。'));
    await waitFor('the confirmation', () => w.sent[0]);
    const m = core.received[0]!;
    assert.equal(m.file!.name, '村规民约.txt');
    assert.equal(Buffer.from(m.file!.bytes).toString(), '第一条 村民应当遵守法律。');
    assert.deepEqual(w.sent, [{ to: w.staff.id, text: '已收到' }]);
  } finally {
    await w.stop();
  }
});

test('images, and files sent in a room, never reach the core', async () => {
  const core = fakeCore(() => reply('已收到'));
  const w = await startMockWechat(core.handle);
  try {
    w.resident.say(w.file('photo.jpg', Buffer.from('jpeg'))).to(w.self);
    w.sendFile(w.staff, '村规民约.txt', Buffer.from('第一条'), w.villageRoom);
    await waitFor('both ignored', () => w.logs.filter((l) => l.startsWith('ignored')).length === 2);
    assert.match(w.logs.join('\n'), /ignored Image message in private wxid_zhang/u);
    assert.match(w.logs.join('\n'), /ignored Attachment message in room village@chatroom/u);
    w.resident.say('还在吗').to(w.self);
    await waitFor('the next answer', () => w.sent[0]);
    assert.deepEqual(
      core.received.map((m) => m.text),
      ['还在吗'],
    );
  } finally {
    await w.stop();
  }
});

test('a handler that throws is logged and the next message is still answered', async () => {
  let calls = 0;
  const core = fakeCore((m) => {
    if (++calls === 1) throw new Error('boom');
    return reply(`答：${m.text}`);
  });
  const w = await startMockWechat(core.handle);
  try {
    w.resident.say('第一个问题').to(w.self);
    await waitFor('the failure log', () => w.logs.find((l) => l.includes('boom')));
    w.resident.say('第二个问题').to(w.self);
    await waitFor('the second answer', () => w.sent[0]);
    assert.deepEqual(w.sent, [{ to: w.resident.id, text: '答：第二个问题' }]);
  } finally {
    await w.stop();
  }
});

test('with the real core: @mention, unaddressed, staff upload and a draft file', async () => {
  const uploads: { name: string; bytes: Uint8Array }[] = [];
  const handlers: BotHandlers = {
    answer: async (question) => reply(`答：${question}`),
    saveUpload: async (name, bytes) => {
      uploads.push({ name, bytes });
      return `已收到“${name}”，加入知识库。`;
    },
    draft: async (section, notes) =>
      reply(`${section}：${notes}`, {
        name: 'draft.docx',
        bytes: new Uint8Array(Buffer.from('docx bytes')),
      }),
  };
  const logs: string[] = [];
  const w0 = { staffId: 'wxid_wang' };
  const bot = new Bot(handlers, {
    prefixes: ['法治助手'],
    roles: { staff: [w0.staffId], adviser: [], admin: [] },
    maxAgeMs: 180_000,
    maxTextChars: 500,
    perPersonPerMinute: 30,
    perGroupPerMinute: 30,
    log: createLogger((line) => logs.push(line)),
  });
  const w = await startMockWechat((m) => bot.handle(m));
  try {
    assert.equal(w.staff.id, w0.staffId);
    // Unaddressed in the room: dropped by the core (logged), no reply.
    w.resident.say('今天谁去镇上赶集').to(w.villageRoom);
    await waitFor('the drop', () => logs.find((l) => l.includes('not addressed')));
    // @-mentioned in the room: answered with an @ to the asker.
    w.resident.say(`@法治助手${AT}宅基地被占了怎么办`, [w.self]).to(w.villageRoom);
    await waitFor('the room answer', () => w.sent[0]);
    assert.equal(w.sent[0]!.to, w.villageRoom.id);
    assert.match(w.sent[0]!.text, /^@张大爷\s+答：宅基地被占了怎么办$/u);
    assert.equal(w.sent.length, 1, 'the unaddressed message got no reply');

    // Staff sends a file privately: saved, confirmed privately.
    w.sendFile(w.staff, '村规民约.txt', Buffer.from('第一条 村民应当遵守法律。'));
    await waitFor('the upload confirmation', () => w.sent[1]);
    assert.equal(uploads.length, 1);
    assert.equal(uploads[0]!.name, '村规民约.txt');
    assert.equal(Buffer.from(uploads[0]!.bytes).toString(), '第一条 村民应当遵守法律。');
    assert.deepEqual(w.sent[1], { to: w.staff.id, text: '已收到“村规民约.txt”，加入知识库。' });

    // Staff asks for a draft: the text, then the .docx.
    w.staff.say('起草 存在的不足\n普法宣传覆盖不够').to(w.self);
    await waitFor('the draft file', () => w.sent[3]);
    assert.deepEqual(w.sent[2], { to: w.staff.id, text: '存在的不足：普法宣传覆盖不够' });
    assert.equal(w.sent[3]!.file!.name, 'draft.docx');
    assert.equal(w.sent[3]!.file!.bytes.toString(), 'docx bytes');
    assert.ok(
      logs.some((l) => l.includes('drop (own message)')),
      'own sends are dropped',
    );
  } finally {
    await w.stop();
  }
});
