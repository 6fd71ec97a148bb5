import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Channel, Incoming, Reply } from '../bot/types.ts';

const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the cap the rest is read and discarded, so the client still gets its 413.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

function field(body: unknown, name: string, required: boolean): string | undefined {
  const value = (body as Record<string, unknown> | null)?.[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || (required && !value.trim())) {
    throw new HttpError(400, `"${name}" must be a non-empty string`);
  }
  return value;
}

const toJson = (reply: Reply) => ({
  text: reply.text,
  citations: reply.citations,
  ...(reply.file && {
    file: { name: reply.file.name, base64: Buffer.from(reply.file.bytes).toString('base64') },
  }),
});

/**
 * The HTTP API: POST /api/chat, GET /healthz, and POST /v1/chat/completions in OpenAI's format
 * so front ends that speak it can use the bot as their "model". A bearer token is checked when
 * configured (required by config when bound beyond loopback).
 */
export class HttpChannel implements Channel {
  readonly name = 'http';
  private server?: Server;

  constructor(private readonly settings: { host: string; port: number; token?: string }) {}

  get address(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return address ? `http://${this.settings.host}:${address.port}` : '';
  }

  async start(handle: (message: Incoming) => Promise<Reply | undefined>): Promise<void> {
    this.server = createServer((req, res) => {
      this.route(req, res, handle).catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        const message = error instanceof HttpError ? error.message : 'internal error';
        if (!res.headersSent) {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ error: { message } }));
        }
      });
    });
    // A busy port is an 'error' event, not an exception: turn it into a clear failure.
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) =>
        reject(
          new Error(
            `cannot listen on ${this.settings.host}:${this.settings.port} (${error.message}); set HTTP_PORT to a free port`,
          ),
        );
      this.server!.once('error', fail);
      this.server!.listen(this.settings.port, this.settings.host, () => {
        this.server!.off('error', fail);
        resolve();
      });
    });
  }

  private authorised(req: IncomingMessage): boolean {
    const { token } = this.settings;
    if (!token) return true;
    const given = Buffer.from(/^Bearer\s+(.+)$/iu.exec(req.headers.authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    handle: (message: Incoming) => Promise<Reply | undefined>,
  ): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') return send(200, { ok: true });
    if (!this.authorised(req)) throw new HttpError(401, 'missing or wrong bearer token');
    if (path !== '/api/chat' && path !== '/v1/chat/completions')
      throw new HttpError(404, 'no such route');
    if (req.method !== 'POST') throw new HttpError(405, 'use POST');
    const body = await readBody(req);

    if (path === '/api/chat') {
      const userId = field(body, 'userId', true)!;
      const chatId = field(body, 'chatId', false) ?? `private:${userId}`;
      const text = field(body, 'text', true)!;
      const reply = await handle({
        channel: this.name,
        chatId,
        isGroup: false,
        senderId: userId,
        text,
        mentionedBot: true,
        messageId: randomUUID(),
      });
      return send(200, reply ? toJson(reply) : { text: '', citations: [] });
    }

    const messages = (body as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(messages) || !messages.length)
      throw new HttpError(400, '"messages" must be a non-empty array');
    const last = [...messages]
      .reverse()
      .find((m) => (m as { role?: string } | null)?.role === 'user') as
      { content?: unknown } | undefined;
    if (!last || typeof last.content !== 'string') {
      throw new HttpError(400, 'the last user message must have string "content"');
    }
    const userId = field(body, 'user', false) ?? 'openai-client';
    const reply = await handle({
      channel: this.name,
      chatId: `openai:${userId}`,
      isGroup: false,
      senderId: userId,
      text: last.content,
      mentionedBot: true,
      messageId: randomUUID(),
    });
    return send(200, {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'fazhi-bot',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: reply?.text ?? '' },
        },
      ],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // Stop accepting; in-flight requests finish, idle keep-alive sockets are closed.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}
