import { createInterface } from 'node:readline/promises';
import type { Channel, Incoming, Reply } from '../bot/types.ts';

export const CONSOLE_USER = 'local';

/** The terminal chat of `npm start`: one private conversation with the local user. */
export class ConsoleChannel implements Channel {
  readonly name = 'console';
  private closed?: Promise<void>;
  private stopRequested = false;

  constructor(
    private readonly banner: string,
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {}

  async start(handle: (message: Incoming) => Promise<Reply | undefined>): Promise<void> {
    const rl = createInterface({ input: this.input, output: this.output, terminal: false });
    this.output.write(`${this.banner}\n> `);
    let count = 0;
    this.closed = (async () => {
      for await (const line of rl) {
        const text = line.trim();
        if (this.stopRequested || text === '退出' || text === 'exit') break;
        if (text) {
          const reply = await handle({
            channel: this.name,
            chatId: 'console',
            isGroup: false,
            senderId: CONSOLE_USER,
            text,
            mentionedBot: true,
            messageId: String(++count),
          });
          if (reply) {
            this.output.write(`${reply.text}\n`);
            if (reply.file) this.output.write(`（附件：${reply.file.name}）\n`);
          }
        }
        this.output.write('> ');
      }
      rl.close();
    })();
  }

  /** Resolves when the user quits (or input ends). */
  finished(): Promise<void> {
    return this.closed ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
  }
}
