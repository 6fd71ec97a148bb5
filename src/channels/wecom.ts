import { WSClient, generateReqId, type BaseMessage, type WsFrame } from '@wecom/aibot-node-sdk';
import { createLogger } from '../bot/logger.ts';
import type { Channel, Incoming, Reply } from '../bot/types.ts';
import { ConfigError } from '../errors.ts';

type Handle = (message: Incoming) => Promise<Reply | undefined>;

export interface WecomSettings {
  botId?: string;
  secret?: string;
}

export interface WecomOptions {
  /** The long-connection address; defaults to the SDK's wss://openws.work.weixin.qq.com. */
  wsUrl?: string;
  /** Where lifecycle and error lines go; defaults to stderr, ID and phone numbers masked. */
  log?: (line: string) => void;
  /** Between heartbeats (`ping`); the platform recommends, and the SDK defaults to, 30 s. */
  heartbeatIntervalMs?: number;
  /** How long start() waits for the subscription to be accepted. Default 30 s. */
  connectTimeoutMs?: number;
  /** When an answer takes longer than this, a "正在查询" stream frame is shown first. Default 2 s. */
  thinkingAfterMs?: number;
}

/** A stream's content is at most 20480 bytes of UTF-8 (platform limit). */
const MAX_CONTENT_BYTES = 20480;
/** stop() lets answers being prepared reach their askers for at most this long. */
const DRAIN_MS = 5000;
const THINKING = '正在查询，请稍候…';
const SORRY = '抱歉，处理您的消息时出了问题，请稍后再试，或联系镇司法所。';
const NOT_HANDLED = '这条消息没有得到处理，请换个说法再问一次。';

const HOW_TO_GET = [
  'Get them in the WeCom admin console (企业微信管理后台 https://work.weixin.qq.com/wework_admin):',
  '应用管理 → 智能机器人 → create or open the bot → turn on「API 模式」and choose「长连接」(long',
  'connection); the page then shows the Bot ID and the Secret. Put them in .env or the environment.',
].join(' ');

/** What went wrong, from an Error or from the SDK's rejected ack frame ({ errcode, errmsg }). */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const frame = error as { errcode?: unknown; errmsg?: unknown } | null;
  if (frame && typeof frame === 'object' && 'errcode' in frame) {
    return `errcode ${String(frame.errcode)}: ${String(frame.errmsg)}`;
  }
  return String(error);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * The text after a leading "@机器人" mention. In groups WeCom delivers the content as typed,
 * mention included ("@RobotA hello robot" in the docs); the client puts a space after a mention
 * chosen from the member list. A mention name holds no spaces or punctuation here, so
 * "@法治助手，邻居…" also loses only the mention. Only the first leading mention is removed.
 */
export function stripLeadingMention(text: string): string {
  return text.replace(/^\s*@[^\s@，,：:。！!？?；;]+[\s，,：:]*/u, '');
}

/**
 * The stream frames for a finished answer: cumulative prefixes ending with the whole text. A
 * stream frame replaces the shown content (it does not append), so each frame carries all the
 * text so far. Short texts go in one frame; longer ones in `parts`, cut after punctuation near
 * the even split when there is some.
 */
export function streamChunks(text: string, parts = 3, minChars = 60): string[] {
  const chars = Array.from(text);
  if (chars.length < minChars || parts < 2) return [text];
  const cuts: number[] = [];
  for (let i = 1; i < parts; i++) {
    let cut = Math.round((chars.length * i) / parts);
    const limit = Math.min(chars.length - 1, cut + 20);
    for (let j = cut; j < limit; j++) {
      if (/[\n。！？；，、!?;,.\s]/u.test(chars[j]!)) {
        cut = j + 1;
        break;
      }
    }
    if (cut > (cuts.at(-1) ?? 0) && cut < chars.length) cuts.push(cut);
  }
  return [...cuts.map((cut) => chars.slice(0, cut).join('')), text];
}

/** The text cut (on a character boundary) to the platform's byte limit, with a note if cut. */
function fitBytes(text: string, max = MAX_CONTENT_BYTES): string {
  if (Buffer.byteLength(text) <= max) return text;
  const note = '…（内容过长，已截断）';
  let bytes = Buffer.byteLength(note);
  let out = '';
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    out += ch;
  }
  return out + note;
}

/** An aibot_msg_callback body as Incoming, or why it is ignored. */
function toIncoming(channel: string, body: unknown): Incoming | string {
  if (!isRecord(body)) return 'callback without a body';
  const msgtype = typeof body.msgtype === 'string' ? body.msgtype : '?';
  // Voice arrives already transcribed (voice.content), so it is answered like text.
  if (msgtype !== 'text' && msgtype !== 'voice') {
    return `${msgtype} message (only text and voice are answered)`;
  }
  const content = isRecord(body[msgtype]) ? (body[msgtype] as Record<string, unknown>).content : '';
  if (typeof content !== 'string') return `${msgtype} message without content`;
  const senderId = isRecord(body.from) ? body.from.userid : undefined;
  if (typeof senderId !== 'string' || !senderId) return `${msgtype} message without from.userid`;
  const isGroup = body.chattype === 'group';
  if (!isGroup && body.chattype !== 'single') {
    return `message with chattype ${JSON.stringify(body.chattype)}`;
  }
  // chatid is only sent for groups; a private chat is identified by the user.
  const chatId = isGroup ? body.chatid : senderId;
  if (typeof chatId !== 'string' || !chatId) return 'group message without chatid';
  const time = body.create_time;
  const sentAt =
    typeof time === 'number' && time > 0 ? (time < 1e12 ? time * 1000 : time) : undefined;
  return {
    channel,
    chatId,
    isGroup,
    senderId,
    text: isGroup ? stripLeadingMention(content) : content,
    // WeCom delivers a group message to a 智能机器人 only when it is @-mentioned ("用户群里@智能
    // 机器人或者单聊中向智能机器人发送…" are the callback triggers in the docs), and a private
    // message is addressed to the bot by definition.
    mentionedBot: true,
    ...(typeof body.msgid === 'string' && body.msgid && { messageId: body.msgid }),
    ...(sentAt !== undefined && { sentAt }),
  };
}

/**
 * WeCom's 智能机器人 over the official SDK's long connection (outbound WebSocket: no public URL).
 * Text in private chats and @-mentions in groups are handed to the bot; each answer goes back as
 * a stream message (a few cumulative frames, then finish) on the callback's req_id.
 */
export class WecomChannel implements Channel {
  readonly name = 'wecom';
  private readonly botId: string;
  private readonly secret: string;
  private readonly log: (line: string) => void;
  private client?: WSClient;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    settings: WecomSettings,
    private readonly options: WecomOptions = {},
  ) {
    const missing = [
      !settings.botId && 'WECOM_BOT_ID',
      !settings.secret && 'WECOM_BOT_SECRET',
    ].filter(Boolean);
    if (missing.length || !settings.botId || !settings.secret) {
      throw new ConfigError(
        `The wecom channel needs WECOM_BOT_ID and WECOM_BOT_SECRET (missing: ${missing.join(', ')}). ${HOW_TO_GET}`,
      );
    }
    this.botId = settings.botId;
    this.secret = settings.secret;
    if (options.log) {
      this.log = options.log;
    } else {
      const logger = createLogger();
      this.log = (line) => logger.info(line);
    }
  }

  async start(handle: Handle): Promise<void> {
    if (this.client) throw new Error('the wecom channel is already started');
    this.stopping = false;
    const log = this.log;
    const client = new WSClient({
      botId: this.botId,
      secret: this.secret,
      ...(this.options.wsUrl && { wsUrl: this.options.wsUrl }),
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 30_000,
      // A village office's line drops now and then: keep trying (back-off up to 30 s).
      maxReconnectAttempts: -1,
      logger: {
        // The SDK's debug lines carry whole frames (message text); its info lines repeat ours.
        debug: () => {},
        info: () => {},
        warn: (m: string, ...args: unknown[]) => log(`wecom sdk: ${[m, ...args].join(' ')}`),
        error: (m: string, ...args: unknown[]) => log(`wecom sdk: ${[m, ...args].join(' ')}`),
      },
    });
    this.client = client;

    client.on('message', (frame) => {
      const work = this.onMessage(client, frame, handle).catch((error: unknown) =>
        log(`wecom: message ${String(frame.body?.msgid)} failed: ${describe(error)}`),
      );
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    client.on('event', (frame) => {
      if (frame.body?.event?.eventtype === 'disconnected_event') {
        log(
          'wecom: another connection subscribed with this bot id and took over (one connection per bot); this one stops',
        );
      }
    });
    client.on('disconnected', (reason) => {
      if (!this.stopping) log(`wecom: connection closed (${reason})`);
    });
    client.on('reconnecting', (attempt) => log(`wecom: reconnecting (attempt ${attempt})`));

    const url = this.options.wsUrl ?? 'wss://openws.work.weixin.qq.com';
    const timeoutMs = this.options.connectTimeoutMs ?? 30_000;
    let subscribed = false;
    let lastError = '';
    client.on('error', (error) => {
      lastError = error.message;
      if (subscribed) log(`wecom: ${error.message}`);
    });
    client.on('authenticated', () => {
      if (subscribed) log('wecom: subscribed again after reconnecting');
    });

    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        client.off('authenticated', onSubscribed);
        client.off('error', onError);
        if (!error) return resolve();
        client.disconnect();
        client.removeAllListeners();
        this.client = undefined;
        reject(error);
      };
      const onSubscribed = () => {
        subscribed = true;
        log(`wecom: connected to ${url} and subscribed as bot ${this.botId}`);
        done();
      };
      const onError = (error: Error) => {
        if (/^Authentication failed|auth failure/iu.test(error.message)) {
          done(
            new ConfigError(
              `WeCom refused the subscription (${error.message}): check WECOM_BOT_ID and WECOM_BOT_SECRET. ${HOW_TO_GET}`,
            ),
          );
        }
      };
      const timer = setTimeout(
        () =>
          done(
            new Error(
              `could not connect and subscribe to ${url} within ${timeoutMs / 1000} s${lastError ? ` (${lastError})` : ''}: check the network (outbound wss to openws.work.weixin.qq.com:443 must be allowed)`,
            ),
          ),
        timeoutMs,
      );
      client.on('authenticated', onSubscribed);
      client.on('error', onError);
      client.connect();
    });
  }

  private async onMessage(client: WSClient, frame: WsFrame<BaseMessage>, handle: Handle) {
    const incoming = toIncoming(this.name, frame.body);
    if (typeof incoming === 'string') {
      this.log(`wecom: ignored ${incoming}`);
      return;
    }
    if (this.stopping) {
      this.log(`wecom: stopping, not answering ${incoming.messageId ?? 'a message'}`);
      return;
    }
    const streamId = generateReqId('stream');
    const id = incoming.messageId ?? frame.headers.req_id;
    // A slow answer (model server) shows a placeholder; the answer's frames then replace it.
    let placeholder = false;
    const timer = setTimeout(() => {
      placeholder = true;
      client
        .replyStream(frame, streamId, THINKING, false)
        .catch((error: unknown) =>
          this.log(`wecom: placeholder for ${id} failed: ${describe(error)}`),
        );
    }, this.options.thinkingAfterMs ?? 2000);

    let text: string | undefined;
    try {
      const reply = await handle(incoming);
      text = reply?.text;
      if (reply?.file) {
        this.log(`wecom: cannot send the file ${reply.file.name} for ${id}; sent the text only`);
        text = `${text ?? ''}\n（附件“${reply.file.name}”暂时不能通过企业微信发送。）`.trim();
      }
    } catch (error) {
      this.log(`wecom: the handler failed for ${id}: ${describe(error)}`);
      text = SORRY;
    } finally {
      clearTimeout(timer);
    }
    if (!text) {
      if (!placeholder) return; // dropped by the bot: nothing was shown, nothing to finish
      text = NOT_HANDLED;
    }
    await this.stream(client, frame, streamId, fitBytes(text), id);
  }

  /** Sends `text` as one stream message: cumulative frames (finish=false), then finish=true. */
  private async stream(
    client: WSClient,
    frame: WsFrame<BaseMessage>,
    streamId: string,
    text: string,
    id: string,
  ): Promise<void> {
    const chunks = streamChunks(text);
    for (const partial of chunks.slice(0, -1)) {
      try {
        await client.replyStream(frame, streamId, partial, false);
      } catch (error) {
        this.log(`wecom: stream frame for ${id} failed (${describe(error)}); sending the end`);
        break;
      }
    }
    try {
      await client.replyStream(frame, streamId, text, true);
    } catch (error) {
      this.log(`wecom: reply to ${id} failed: ${describe(error)}`);
    }
  }

  /** Lets answers in progress go out (up to 5 s), then closes the connection; no reconnect. */
  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.stopping = true;
    if (this.inFlight.size) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS))),
      ]);
      clearTimeout(timer);
    }
    client.disconnect();
    client.removeAllListeners();
    this.client = undefined;
    this.log('wecom: disconnected');
  }
}
