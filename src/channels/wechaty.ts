import { FileBox } from 'file-box';
import qrcodeTerminal from 'qrcode-terminal';
import {
  qrcodeValueToImageUrl,
  ScanStatus,
  types,
  WechatyBuilder,
  type Contact,
  type Message,
  type OfficialPuppetNpmName,
  type Room,
  type Wechaty as WechatyInterface,
} from 'wechaty';
import { createLogger } from '../bot/logger.ts';
import type { Channel, Incoming, Reply } from '../bot/types.ts';

export interface WechatySettings {
  /** Puppet npm name (WECHATY_PUPPET); absent: Wechaty's own default / environment. */
  puppet?: string;
  /** Puppet service token (WECHATY_PUPPET_SERVICE_TOKEN). */
  puppetToken?: string;
  /** Room allow-list by room id or topic; empty: every room. */
  rooms: string[];
}

export interface WechatyChannelOptions {
  /** A ready-built Wechaty (tests: one on a PuppetMock); otherwise built from the settings. */
  wechaty?: WechatyInterface;
  log?: (line: string) => void;
}

/** Characters per WeChat message; WeChat cuts or refuses much longer texts. */
export const MAX_MESSAGE_CHARS = 1500;

/** How long stop() waits for messages still being answered before it stops Wechaty. */
const STOP_GRACE_MS = 10_000;

/**
 * Splits a reply into messages of at most `max` characters, at line ends where possible (a
 * single longer line is cut at `max`), without splitting a character.
 */
export function splitMessage(text: string, max = MAX_MESSAGE_CHARS): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) parts.push(current.replace(/\s+$/u, ''));
    current = '';
  };
  for (const line of text.split('\n')) {
    const chars = Array.from(line);
    if (chars.length > max) {
      flush();
      for (let i = 0; i < chars.length; i += max) {
        current = chars.slice(i, i + max).join('');
        if (i + max < chars.length) flush();
      }
      continue;
    }
    const joined = current ? `${current}\n${line}` : line;
    if (Array.from(joined).length > max) {
      flush();
      current = line;
    } else {
      current = joined;
    }
  }
  flush();
  return parts;
}

/**
 * Personal WeChat through Wechaty: private chats and allowed rooms in, replies out (an @ to the
 * asker in rooms). Every failure is logged; one bad message never stops the channel.
 */
export class WechatyChannel implements Channel {
  readonly name = 'wechat';
  private readonly wechaty: WechatyInterface;
  private readonly log: (line: string) => void;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly settings: WechatySettings,
    options: WechatyChannelOptions = {},
  ) {
    const logger = createLogger(undefined, settings.puppetToken ? [settings.puppetToken] : []);
    this.log = options.log ?? ((line) => logger.info(`wechat: ${line}`));
    this.wechaty =
      options.wechaty ??
      WechatyBuilder.build({
        name: 'fazhi-bot',
        // Any puppet npm name from the settings; Wechaty loads it (and checks it) at start.
        puppet: settings.puppet as OfficialPuppetNpmName | undefined,
        puppetOptions: settings.puppetToken ? { token: settings.puppetToken } : {},
      });
  }

  async start(handle: (message: Incoming) => Promise<Reply | undefined>): Promise<void> {
    const bot = this.wechaty;
    bot.on('scan', (qrcode: string, status: ScanStatus) => {
      if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) {
        this.log(`scan status ${ScanStatus[status] ?? status}`);
        return;
      }
      qrcodeTerminal.generate(qrcode, { small: true }, (ascii) =>
        process.stdout.write(`${ascii}\n`),
      );
      // The image link renders the QR on wechaty.js.org, for terminals that cannot show it.
      this.log(
        `scan the QR code above with WeChat to log in (${qrcode}; as an image: ${qrcodeValueToImageUrl(qrcode)})`,
      );
    });
    bot.on('login', (user: Contact) => this.log(`logged in as ${user.name()} (${user.id})`));
    bot.on('logout', (user: Contact, reason?: string) =>
      this.log(`logged out: ${user.name()} (${user.id})${reason ? `: ${reason}` : ''}`),
    );
    bot.on('error', (error: Error) => this.log(`wechaty error: ${error.message}`));
    bot.on('message', (msg: Message) => {
      if (this.stopping) return;
      const work = this.onMessage(msg, handle).catch((error: unknown) =>
        this.log(`message ${msg.id} failed: ${(error as Error).message ?? String(error)}`),
      );
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    await bot.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    try {
      // stop(), not logout(): the login session is kept, so a restart needs no new scan.
      await this.wechaty.stop();
    } catch (error) {
      this.log(`stop failed: ${(error as Error).message}`);
    }
  }

  /** One message: filter, map to Incoming, ask the core, send the reply. Throws on failure. */
  private async onMessage(
    msg: Message,
    handle: (message: Incoming) => Promise<Reply | undefined>,
  ): Promise<void> {
    const room = msg.room();
    const talker = msg.talker();
    const type = msg.type();
    const where = room ? `room ${room.id}` : `private ${talker.id}`;
    const isAttachment = type === types.Message.Attachment && !room;
    if (type !== types.Message.Text && !isAttachment) {
      this.log(`ignored ${types.Message[type] ?? type} message in ${where}`);
      return;
    }
    if (talker.type() === types.Contact.Official) {
      this.log(`ignored message from official account ${talker.id}`);
      return;
    }
    if (room && !(await this.roomAllowed(room))) return;

    const fromSelf = msg.self();
    const incoming: Incoming = {
      channel: this.name,
      chatId: room ? room.id : talker.id,
      isGroup: Boolean(room),
      senderId: talker.id,
      senderName: talker.name(),
      text: room ? await msg.mentionText() : msg.text(),
      mentionedBot: room ? await msg.mentionSelf() : true,
      messageId: msg.id,
      sentAt: msg.date().getTime(),
      fromSelf,
    };
    if (isAttachment && !fromSelf) {
      try {
        const box = await msg.toFileBox();
        incoming.file = { name: box.name, bytes: new Uint8Array(await box.toBuffer()) };
      } catch (error) {
        this.log(`could not download the file in ${where}: ${(error as Error).message}`);
        await talker.say('没能接收这个文件，请稍后重新发送。');
        return;
      }
    }

    const reply = await handle(incoming);
    if (!reply) return;
    await this.send(room, talker, reply);
  }

  private async roomAllowed(room: Room): Promise<boolean> {
    const allowed = this.settings.rooms;
    if (allowed.length === 0 || allowed.includes(room.id)) return true;
    const topic = await room.topic();
    if (allowed.includes(topic)) return true;
    this.log(`ignored room not on the allow-list (WECHAT_ROOMS): "${topic}" (${room.id})`);
    return false;
  }

  /** The text in order (an @ to the asker before the first part in a room), then the file. */
  private async send(room: Room | undefined, talker: Contact, reply: Reply): Promise<void> {
    const parts = splitMessage(reply.text);
    for (const [i, part] of parts.entries()) {
      if (room) {
        if (i === 0) await room.say(part, talker);
        else await room.say(part);
      } else {
        await talker.say(part);
      }
    }
    if (reply.file) {
      // Base64, not fromBuffer: puppets serialise the box, and a buffer box cannot be.
      const box = FileBox.fromBase64(
        Buffer.from(reply.file.bytes).toString('base64'),
        reply.file.name,
      );
      await (room ?? talker).say(box);
    }
  }
}
