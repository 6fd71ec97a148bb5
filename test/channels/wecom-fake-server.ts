import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * One frame of WeCom's 智能机器人 long-connection protocol (JSON text frames):
 *   bot -> platform  { cmd: 'aibot_subscribe', headers: { req_id }, body: { bot_id, secret } }
 *                    { cmd: 'ping', headers: { req_id } }
 *                    { cmd: 'aibot_respond_msg', headers: { req_id: <the callback's> }, body }
 *   platform -> bot  { cmd: 'aibot_msg_callback', headers: { req_id }, body: { msgid, ... } }
 *                    { headers: { req_id: <the request's> }, errcode: 0, errmsg: 'ok' }  (acks)
 */
export interface Frame {
  cmd?: string;
  headers: { req_id: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body?: any;
  errcode?: number;
  errmsg?: string;
}

export interface FakeWecom {
  url: string;
  /** Every frame the bot sent, in order. */
  received: Frame[];
  /** Connections accepted so far. */
  connections: number;
  /** Sockets still open. */
  openSockets(): number;
  /** Sends a frame (or raw text) to the bot on the latest connection. */
  push(frame: Frame | string): void;
  /** Resolves with check()'s first defined result, re-checked whenever a frame arrives. */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/**
 * Just enough of the platform's side of the protocol, on 127.0.0.1: it accepts the subscription
 * (or refuses it with `refuse`), and acks heartbeats and replies with errcode 0 on the same
 * req_id, as the docs' response examples show.
 */
export async function startFakeWecom(
  options: { refuse?: { errcode: number; errmsg: string } } = {},
): Promise<FakeWecom> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const received: Frame[] = [];
  const sockets: WebSocket[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  let connections = 0;

  wss.on('connection', (socket) => {
    connections++;
    sockets.push(socket);
    socket.on('close', wake);
    socket.on('message', (data) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(data)) as Frame;
      } catch {
        return;
      }
      received.push(frame);
      const ack = (errcode: number, errmsg: string) =>
        socket.send(JSON.stringify({ headers: { req_id: frame.headers.req_id }, errcode, errmsg }));
      if (frame.cmd === 'aibot_subscribe' && options.refuse) {
        ack(options.refuse.errcode, options.refuse.errmsg);
      } else if (['aibot_subscribe', 'ping', 'aibot_respond_msg'].includes(frame.cmd ?? '')) {
        ack(0, 'ok');
      }
      wake();
    });
  });

  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    received,
    get connections() {
      return connections;
    },
    openSockets: () => sockets.filter((s) => s.readyState === s.OPEN).length,
    push(frame) {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no connection to push to');
      socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    waitFor(what, check, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const attempt = () => {
          const result = check();
          if (result === undefined) return;
          waiters.delete(attempt);
          clearTimeout(timer);
          resolve(result);
        };
        const timer = setTimeout(() => {
          waiters.delete(attempt);
          reject(new Error(`timed out waiting for ${what}`));
        }, timeoutMs);
        waiters.add(attempt);
        attempt();
      });
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
