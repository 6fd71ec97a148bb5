import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incoming, Reply } from '../../src/bot/types.ts';
import {
  WecomChannel,
  streamChunks,
  stripLeadingMention,
  type WecomOptions,
} from '../../src/channels/wecom.ts';
import { startFakeWecom, type FakeWecom, type Frame } from './wecom-fake-server.ts';

const LONG_ANSWER =
  '宅基地被占可以先找村民委员会或者村人民调解委员会调解，调解不成的，可以向乡镇人民政府申请处理。' +
  '对处理决定不服的，可以自收到决定之日起三十日内向人民法院起诉。' +
  '法律依据：《土地管理法》第十四条。需要帮忙可以联系镇司法所。';

/** A message callback as the platform pushes it (shape from the docs and the SDK's types). */
function callback(
  reqId: string,
  body: { msgid: string; content: string; userid?: string; chatid?: string; createTime?: number },
): Frame {
  return {
    cmd: 'aibot_msg_callback',
    headers: { req_id: reqId },
    body: {
      msgid: body.msgid,
      aibotid: 'bot-1',
      ...(body.chatid ? { chatid: body.chatid, chattype: 'group' } : { chattype: 'single' }),
      from: { userid: body.userid ?? 'zhangsan' },
      ...(body.createTime !== undefined && { create_time: body.createTime }),
      msgtype: 'text',
      text: { content: body.content },
    },
  };
}

/** The reply frames for one callback, once its finishing frame has arrived. */
function repliesTo(server: FakeWecom, reqId: string): Promise<Frame[]> {
  return server.waitFor(`the reply to ${reqId}`, () => {
    const frames = server.received.filter(
      (f) => f.cmd === 'aibot_respond_msg' && f.headers.req_id === reqId,
    );
    return frames.some((f) => f.body?.stream?.finish === true) ? frames : undefined;
  });
}

/** Checks a stream reply: one stream id, cumulative frames, the last one finished with `text`. */
function assertStream(frames: Frame[], text: string) {
  const ids = new Set(frames.map((f) => f.body.stream.id));
  assert.equal(ids.size, 1, 'one stream id per answer');
  for (const f of frames) assert.equal(f.body.msgtype, 'stream');
  const last = frames.at(-1)!;
  assert.equal(last.body.stream.finish, true);
  assert.equal(last.body.stream.content, text);
  for (const f of frames.slice(0, -1)) {
    assert.equal(f.body.stream.finish, false);
    assert.ok(text.startsWith(f.body.stream.content), 'each frame carries the text so far');
  }
}

async function setup(
  answer: (m: Incoming) => Promise<Reply | undefined> | Reply | undefined,
  options: Omit<WecomOptions, 'wsUrl' | 'log'> = {},
) {
  const server = await startFakeWecom();
  const seen: Incoming[] = [];
  const logs: string[] = [];
  const channel = new WecomChannel(
    { botId: 'bot-1', secret: 'secret-abcdef' },
    { wsUrl: server.url, log: (line) => logs.push(line), ...options },
  );
  await channel.start(async (m) => {
    seen.push(m);
    return answer(m);
  });
  return { server, channel, seen, logs };
}

test('a missing bot id or secret throws an error naming the variables and where to get them', () => {
  assert.throws(
    () => new WecomChannel({ botId: 'bot-1' }),
    /WECOM_BOT_SECRET.*智能机器人.*长连接/su,
  );
  assert.throws(() => new WecomChannel({ secret: 's' }), /missing: WECOM_BOT_ID\)/u);
  assert.throws(() => new WecomChannel({}), /missing: WECOM_BOT_ID, WECOM_BOT_SECRET/u);
});

test('subscribes, answers heartbeats, and streams answers to private and group @ messages', async () => {
  const { server, channel, seen, logs } = await setup(
    (m) => ({ text: m.text.includes('宅基地') ? LONG_ANSWER : `答：${m.text}`, citations: [] }),
    { heartbeatIntervalMs: 30 },
  );
  try {
    const subscribe = server.received[0]!;
    assert.equal(subscribe.cmd, 'aibot_subscribe');
    assert.deepEqual(subscribe.body, { bot_id: 'bot-1', secret: 'secret-abcdef' });

    // Heartbeats are sent and acked; two missed acks would have closed the connection.
    await server.waitFor('three heartbeats', () =>
      server.received.filter((f) => f.cmd === 'ping').length >= 3 ? true : undefined,
    );
    assert.equal(server.openSockets(), 1);

    // Private chat: chatId is the user, the whole text is kept.
    const sentSeconds = Math.floor(Date.now() / 1000);
    server.push(
      callback('req-private-1', {
        msgid: 'msg-1',
        content: '邻居占了我家宅基地怎么办',
        createTime: sentSeconds,
      }),
    );
    const privateFrames = await repliesTo(server, 'req-private-1');
    assertStream(privateFrames, LONG_ANSWER);
    assert.ok(privateFrames.length >= 2, 'a longer answer is streamed in several frames');
    assert.deepEqual(seen[0], {
      channel: 'wecom',
      chatId: 'zhangsan',
      isGroup: false,
      senderId: 'zhangsan',
      text: '邻居占了我家宅基地怎么办',
      mentionedBot: true,
      messageId: 'msg-1',
      sentAt: sentSeconds * 1000,
    });

    // Group chat: delivered because the bot was @-mentioned; the mention is removed.
    server.push(
      callback('req-group-1', {
        msgid: 'msg-2',
        chatid: 'wrkchat-village-3',
        userid: 'lisi',
        content: '@法治助手 调解要收费吗',
      }),
    );
    const groupFrames = await repliesTo(server, 'req-group-1');
    assertStream(groupFrames, '答：调解要收费吗');
    assert.equal(groupFrames.length, 1, 'a short answer goes in one finished frame');
    assert.deepEqual(seen[1], {
      channel: 'wecom',
      chatId: 'wrkchat-village-3',
      isGroup: true,
      senderId: 'lisi',
      text: '调解要收费吗',
      mentionedBot: true,
      messageId: 'msg-2',
    });
    assert.ok(!logs.join('\n').includes('secret-abcdef'), 'the secret is never logged');
  } finally {
    await channel.stop();
    await server.close();
  }
});

test('a throwing handler, bad frames and unsupported types do not break the connection; voice is answered', async () => {
  const { server, channel, logs } = await setup((m) => {
    if (m.text === '出错') throw new Error('boom');
    if (m.text === '不理') return undefined;
    return { text: `答：${m.text}`, citations: [] };
  });
  try {
    server.push(callback('req-1', { msgid: 'm1', content: '出错' }));
    const apology = await repliesTo(server, 'req-1');
    assert.match(apology.at(-1)!.body.stream.content, /抱歉/u);
    assert.ok(logs.some((l) => l.includes('boom')));

    server.push('{not json');
    server.push({ cmd: 'aibot_msg_callback', headers: { req_id: 'req-2' }, body: null });
    server.push({
      cmd: 'aibot_msg_callback',
      headers: { req_id: 'req-3' },
      body: { msgid: 'm3', chattype: 'single', msgtype: 'text', text: { content: '无发送人' } },
    });
    server.push({
      cmd: 'aibot_msg_callback',
      headers: { req_id: 'req-4' },
      body: {
        msgid: 'm4',
        chattype: 'single',
        from: { userid: 'zhangsan' },
        msgtype: 'image',
        image: { url: 'https://example.invalid/x', aeskey: 'k' },
      },
    });
    server.push({
      cmd: 'aibot_msg_callback',
      headers: { req_id: 'req-voice' },
      body: {
        msgid: 'm-voice',
        chattype: 'single',
        from: { userid: 'wangwu' },
        msgtype: 'voice',
        voice: { content: '语音转成的文字' },
      },
    });
    assertStream(await repliesTo(server, 'req-voice'), '答：语音转成的文字');
    server.push(callback('req-5', { msgid: 'm5', content: '不理' }));
    server.push(callback('req-6', { msgid: 'm6', content: '还在吗' }));
    assertStream(await repliesTo(server, 'req-6'), '答：还在吗');

    const replied = new Set(
      server.received.filter((f) => f.cmd === 'aibot_respond_msg').map((f) => f.headers.req_id),
    );
    assert.deepEqual(
      [...replied].sort(),
      ['req-1', 'req-6', 'req-voice'],
      'ignored and dropped messages get no reply',
    );
    const log = logs.join('\n');
    assert.match(log, /ignored image message/u);
    assert.match(log, /without from\.userid/u);
    assert.equal(server.openSockets(), 1);
  } finally {
    await channel.stop();
    await server.close();
  }
});

test('a slow answer shows a placeholder frame first, then the answer replaces it', async () => {
  const { server, channel } = await setup(
    async (m) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return { text: `答：${m.text}`, citations: [] };
    },
    { thinkingAfterMs: 20 },
  );
  try {
    server.push(callback('req-slow', { msgid: 'slow-1', content: '工伤怎么认定' }));
    const frames = await repliesTo(server, 'req-slow');
    assert.equal(frames[0]!.body.stream.finish, false);
    assert.match(frames[0]!.body.stream.content, /正在查询/u);
    assert.equal(frames.at(-1)!.body.stream.content, '答：工伤怎么认定');
    assert.equal(new Set(frames.map((f) => f.body.stream.id)).size, 1);
  } finally {
    await channel.stop();
    await server.close();
  }
});

test('a refused subscription makes start() fail with a hint about the credentials', async () => {
  const server = await startFakeWecom({ refuse: { errcode: 40001, errmsg: 'invalid secret' } });
  try {
    const channel = new WecomChannel(
      { botId: 'bot-1', secret: 'wrong-secret' },
      { wsUrl: server.url, log: () => {} },
    );
    await assert.rejects(
      channel.start(async () => undefined),
      /invalid secret.*WECOM_BOT_ID and WECOM_BOT_SECRET/su,
    );
  } finally {
    await server.close();
  }
});

test('stop() closes the socket and the client does not reconnect', async () => {
  const { server, channel } = await setup(() => undefined);
  try {
    assert.equal(server.openSockets(), 1);
    await channel.stop();
    await server.waitFor('the socket to close', () =>
      server.openSockets() === 0 ? true : undefined,
    );
    // The SDK's first reconnect would come after 1 s.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(server.connections, 1);
    await channel.stop(); // a second stop is harmless
  } finally {
    await server.close();
  }
});

test('stripLeadingMention and streamChunks', () => {
  assert.equal(stripLeadingMention('@RobotA hello robot'), 'hello robot');
  assert.equal(stripLeadingMention('@法治助手\u2005赡养费怎么算'), '赡养费怎么算');
  assert.equal(stripLeadingMention('@法治助手，邻居占地'), '邻居占地');
  assert.equal(stripLeadingMention('@法治助手'), '');
  assert.equal(stripLeadingMention('@法治助手 @张三 他欠钱不还'), '@张三 他欠钱不还');
  assert.equal(stripLeadingMention('没有提到'), '没有提到');

  assert.deepEqual(streamChunks('短答案'), ['短答案']);
  const chunks = streamChunks(LONG_ANSWER);
  assert.equal(chunks.length, 3);
  assert.equal(chunks.at(-1), LONG_ANSWER);
  for (let i = 1; i < chunks.length; i++) assert.ok(chunks[i]!.startsWith(chunks[i - 1]!));
  assert.match(chunks[0]!, /[，。]$/u, 'cut after punctuation');
});
