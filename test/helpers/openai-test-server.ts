import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake server does with one request; return undefined for the default behaviour. */
export type Behaviour = (
  req: IncomingMessage,
  body: unknown,
  res: ServerResponse,
) => boolean | void;

export interface TestServer {
  baseURL: string;
  requests: { path: string; body: unknown }[];
  close(): Promise<void>;
}

/** A deterministic toy embedding: character codes folded into `dimensions` buckets. */
export function toyEmbedding(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const ch of text) v[ch.codePointAt(0)! % dimensions]! += 1;
  return v;
}

/** An OpenAI chat completion carrying `content`. */
export function chatCompletion(content: string) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 0,
    model: 'toy-chat',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests: /v1/embeddings answers with toy
 * vectors, /chat/completions with `chatReply`; `behaviour` can override any request (errors, wrong shapes, hangs).
 */
export async function startOpenAITestServer(
  options: {
    dimensions?: number;
    behaviour?: Behaviour;
    chatReply?: (body: unknown) => string;
  } = {},
): Promise<TestServer> {
  const dimensions = options.dimensions ?? 8;
  const requests: TestServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown = undefined;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      requests.push({ path: req.url ?? '', body });
      if (options.behaviour?.(req, body, res)) return;
      if (req.url?.endsWith('/embeddings')) {
        const input = (body as { input: string | string[] }).input;
        const inputs = Array.isArray(input) ? input : [input];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            model: 'toy',
            data: inputs.map((text, index) => ({
              object: 'embedding',
              index,
              embedding: toyEmbedding(String(text), dimensions),
            })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
        return;
      }
      if (req.url?.endsWith('/chat/completions')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(chatCompletion(options.chatReply?.(body) ?? '资料里没有相关规定 [1]。')),
        );
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
