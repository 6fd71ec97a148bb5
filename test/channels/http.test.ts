import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import type { Incoming } from '../../src/bot/types.ts';
import { HttpChannel } from '../../src/channels/http.ts';
import { loadConfig } from '../../src/config.ts';

async function start(token?: string) {
  const seen: Incoming[] = [];
  const channel = new HttpChannel({ host: '127.0.0.1', port: 0, ...(token && { token }) });
  await channel.start(async (m) => {
    seen.push(m);
    return {
      text: `答：${m.text}`,
      citations: [
        { source: 'laws/人民调解法.md', kind: 'law', title: '人民调解法', article: '第四条' },
      ],
      ...(m.text === '要文件' && { file: { name: 'a.docx', bytes: new Uint8Array([1, 2]) } }),
    };
  });
  return { channel, seen, url: channel.address };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

test('POST /api/chat answers with text, citations and an optional file; GET /healthz is up', async () => {
  const { channel, seen, url } = await start();
  try {
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true });
    const res = await post(`${url}/api/chat`, JSON.stringify({ userId: 'u1', text: '调解收费吗' }));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { text: string; citations: unknown[] };
    assert.equal(body.text, '答：调解收费吗');
    assert.equal(body.citations.length, 1);
    assert.equal(seen[0]!.chatId, 'private:u1');
    const withFile = (await (
      await post(`${url}/api/chat`, JSON.stringify({ userId: 'u1', text: '要文件' }))
    ).json()) as {
      file: { name: string; base64: string };
    };
    assert.deepEqual(withFile.file, { name: 'a.docx', base64: 'AQI=' });
  } finally {
    await channel.stop();
  }
});

test('bad JSON, wrong types, oversized bodies and unknown routes get 4xx with a message', async () => {
  const { channel, url } = await start();
  try {
    const cases: [Promise<Response>, number, RegExp][] = [
      [post(`${url}/api/chat`, '{not json'), 400, /not valid JSON/],
      [post(`${url}/api/chat`, JSON.stringify({ userId: 5, text: 'x' })), 400, /"userId" must be/],
      [post(`${url}/api/chat`, JSON.stringify({ userId: 'u', text: '' })), 400, /"text" must be/],
      [
        post(`${url}/api/chat`, JSON.stringify({ userId: 'u', text: 'x'.repeat(70_000) })),
        413,
        /body over/,
      ],
      [post(`${url}/nope`, '{}'), 404, /no such route/],
      [fetch(`${url}/api/chat`), 405, /use POST/],
      [post(`${url}/v1/chat/completions`, JSON.stringify({ messages: [] })), 400, /messages/],
    ];
    for (const [pending, status, message] of cases) {
      const res = await pending;
      assert.equal(res.status, status);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, message);
    }
  } finally {
    await channel.stop();
  }
});

test('the OpenAI-format route works through the openai client', async () => {
  const { channel, seen, url } = await start('t0ken-for-tests');
  try {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 't0ken-for-tests', maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'fazhi-bot',
      user: 'gateway-7',
      messages: [
        { role: 'system', content: '你是助手' },
        { role: 'user', content: '欠工资咋办' },
      ],
    });
    assert.equal(completion.choices[0]!.message.content, '答：欠工资咋办');
    assert.equal(seen[0]!.senderId, 'gateway-7');
  } finally {
    await channel.stop();
  }
});

test('with a token configured, requests without it get 401', async () => {
  const { channel, url } = await start('t0ken-for-tests');
  try {
    assert.equal(
      (await post(`${url}/api/chat`, JSON.stringify({ userId: 'u', text: 'x' }))).status,
      401,
    );
    const wrong = await post(`${url}/api/chat`, JSON.stringify({ userId: 'u', text: 'x' }), {
      authorization: 'Bearer wrong',
    });
    assert.equal(wrong.status, 401);
    const right = await post(`${url}/api/chat`, JSON.stringify({ userId: 'u', text: 'x' }), {
      authorization: 'Bearer t0ken-for-tests',
    });
    assert.equal(right.status, 200);
  } finally {
    await channel.stop();
  }
});

test('binding beyond loopback without a token is refused by the config', () => {
  assert.throws(() => loadConfig({ HTTP_HOST: '0.0.0.0' }, ''), /HTTP_TOKEN: required/);
  assert.equal(
    loadConfig({ HTTP_HOST: '0.0.0.0', HTTP_TOKEN: 'long-random' }, '').http.token,
    'long-random',
  );
});

test('a busy port fails with a message naming HTTP_PORT', async () => {
  const { channel, url } = await start();
  try {
    const port = Number(new URL(url).port);
    const second = new HttpChannel({ host: '127.0.0.1', port });
    await assert.rejects(
      second.start(async () => undefined),
      /set HTTP_PORT to a free port/,
    );
  } finally {
    await channel.stop();
  }
});
