import type { Reply } from '../answer/reply.ts';
import type { Config } from '../config.ts';
import type { Audience } from '../ingest/types.ts';
import type { Logger } from './logger.ts';
import { parseIntent, type Intent } from './parse-intent.ts';
import { KeyedQueue, RateLimiter } from './rate-limit.ts';
import { hasPersonalNumbers, maskEchoedNumbers, maskSecrets, redact } from './redact.ts';
import type { Incoming, Role } from './types.ts';

type BotConfig = Config['bot'];

export interface AskContext {
  audiences: Audience[];
  /** Chat + person, for follow-up questions. */
  conversation: string;
}

/** What the bot can do; the handlers a deployment has are passed in, the others are absent. */
export interface BotHandlers {
  answer(question: string, context: AskContext): Promise<Reply>;
  lookup?(query: string, context: AskContext): Promise<Reply>;
  draft?(section: string, notes: string): Promise<Reply>;
  reindex?(): Promise<string>;
  status?(): Promise<string>;
  /** Saves a file staff sent and indexes it; returns the confirmation to send back. */
  saveUpload?(name: string, bytes: Uint8Array): Promise<string>;
}

/** The bot's part of the config (prefixes, roles, age and length limits, rate limits), plus edges. */
export interface BotSettings extends BotConfig {
  now?: () => number;
  log: Logger;
  /** API keys and tokens: masked out of every message before it is logged or handled. */
  secrets?: readonly string[];
}

const HELP: Record<Role, string> = {
  resident: '直接发问题即可，例如：“邻居占了俺家宅基地咋办”。在群里请先@我。',
  adviser: '直接发法律问题；“查 矛盾纠纷”“查 2023年执法了多少次”查往年报告里的措施和数字。',
  staff:
    '直接发法律问题；“查 …”查往年措施；“起草 存在的不足”另起几行写要点，生成报告段落；私聊发来 .docx/.pdf/.txt 文件会加入知识库。',
  admin: '除问答、查询、起草外，“重建索引”更新知识库，“状态”查看运行情况。',
};

const ALLOWED: Record<Exclude<Intent['kind'], 'help' | 'question'>, Role[]> = {
  lookup: ['adviser', 'staff', 'admin'],
  draft: ['staff', 'admin'],
  reindex: ['admin'],
  status: ['admin'],
};

const GROUP_PRIVACY_NOTE = '提醒：请不要在群里发身份证号、手机号等个人信息，需要的话可以私聊我。';

/**
 * The channel-agnostic core: guards (each logs why it drops), then who is asking, then what
 * they want, then the handler. At most one reply per message; one answer at a time per
 * conversation.
 */
export class Bot {
  private readonly seen = new Map<string, true>();
  private readonly perPerson: RateLimiter;
  private readonly perGroup: RateLimiter;
  private readonly queue = new KeyedQueue();
  private readonly now: () => number;

  constructor(
    private readonly handlers: BotHandlers,
    private readonly settings: BotSettings,
  ) {
    this.now = settings.now ?? Date.now;
    this.perPerson = new RateLimiter(settings.perPersonPerMinute, 60_000, this.now);
    this.perGroup = new RateLimiter(settings.perGroupPerMinute, 60_000, this.now);
  }

  roleOf(message: Pick<Incoming, 'channel' | 'senderId'>): Role {
    // Over HTTP the caller names itself, so only an explicit `http:id` grants a role there;
    // on WeChat, WeCom and the console the platform vouches for the sender id.
    const qualified = `${message.channel}:${message.senderId}`;
    const ids = message.channel === 'http' ? [qualified] : [message.senderId, qualified];
    const { roles } = this.settings;
    if (roles.admin.some((id) => ids.includes(id))) return 'admin';
    if (roles.staff.some((id) => ids.includes(id))) return 'staff';
    if (roles.adviser.some((id) => ids.includes(id))) return 'adviser';
    return 'resident';
  }

  async handle(message: Incoming): Promise<Reply | undefined> {
    const addressed = this.addressedText(message);
    if (addressed === undefined) return undefined;
    const text = maskSecrets(addressed, this.settings.secrets ?? []);
    const role = this.roleOf(message);
    const conversation = `${message.channel}:${message.chatId}:${message.senderId}`;
    const who = `${message.channel}/${message.isGroup ? 'group' : 'private'} ${message.chatId} ${role} ${message.senderId}`;
    if (!this.perPerson.allow(`${message.channel}:${message.senderId}`)) {
      this.settings.log.warn(`rate limit (person): ${who}`);
      return { text: '您发得太快了，请稍等一分钟再问。', citations: [] };
    }
    if (message.isGroup && !this.perGroup.allow(`${message.channel}:${message.chatId}`)) {
      this.settings.log.warn(`rate limit (group): ${who}`);
      return undefined; // a flooded group gets no extra noise
    }
    return this.queue.run(conversation, async () => {
      try {
        const reply = await this.dispatch(message, text, role, conversation);
        // Whatever a command echoes (an unknown 起草 section, say), a group never sees a
        // member's ID or phone number repeated.
        return message.isGroup && reply
          ? { ...reply, text: maskEchoedNumbers(reply.text, text) }
          : reply;
      } catch (error) {
        this.settings.log.warn(`handler failed for ${who}: ${(error as Error).message}`);
        return {
          text: '抱歉，处理您的消息时出了问题，请稍后再试，或联系镇司法所。',
          citations: [],
        };
      }
    });
  }

  /** The guards: undefined (dropped, with the reason logged) or the text meant for the bot. */
  private addressedText(message: Incoming): string | undefined {
    const drop = (why: string) => {
      this.settings.log.info(
        `drop (${why}): ${message.channel} ${message.chatId} ${message.senderId}`,
      );
      return undefined;
    };
    if (message.fromSelf) return drop('own message');
    if (message.sentAt !== undefined && this.now() - message.sentAt > this.settings.maxAgeMs) {
      return drop('too old');
    }
    if (message.messageId) {
      const key = `${message.channel}:${message.messageId}`;
      if (this.seen.has(key)) return drop('duplicate');
      this.seen.set(key, true);
      if (this.seen.size > 10_000) this.seen.delete(this.seen.keys().next().value!);
    }
    // Control characters (other than tab and newlines) are noise from copy-paste or attacks.
    // eslint-disable-next-line no-control-regex
    let text = message.text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/gu, '').trim();
    if (message.isGroup && !message.mentionedBot) {
      const prefix = this.settings.prefixes.find((p) => text.startsWith(p));
      if (!prefix) return drop('group message not addressed to the bot');
      text = text.slice(prefix.length).replace(/^[\s,，:：]+/u, '');
    }
    if (!text && !message.file) return drop('empty');
    return text;
  }

  private async dispatch(
    message: Incoming,
    text: string,
    role: Role,
    conversation: string,
  ): Promise<Reply | undefined> {
    const { log } = this.settings;
    if (message.file && !message.isGroup) return this.receiveFile(message, role);
    if (message.file && !text) {
      return { text: '文件请私聊发给我（镇工作人员可以往知识库里添加文件）。', citations: [] };
    }
    if (text.length > this.settings.maxTextChars) {
      log.info(`too long (${text.length} chars) from ${message.senderId}`);
      return {
        text: `消息太长了（${text.length}字），请把问题缩短到${this.settings.maxTextChars}字以内再发。`,
        citations: [],
      };
    }
    const intent = parseIntent(text);
    log.info(`${intent.kind} from ${role} ${message.senderId}: ${redact(text).slice(0, 80)}`);
    if (intent.kind === 'help') return { text: HELP[role], citations: [] };
    if (intent.kind !== 'question' && !ALLOWED[intent.kind].includes(role)) {
      return { text: `这个命令您没有权限使用。${HELP[role]}`, citations: [] };
    }
    // Internal documents only in private chats with staff, advisers and admins.
    const audiences: Audience[] =
      message.isGroup || role === 'resident' ? ['public'] : ['public', 'internal'];
    const context = { audiences, conversation };
    switch (intent.kind) {
      case 'question': {
        const personal = message.isGroup && hasPersonalNumbers(intent.text);
        const reply = await this.handlers.answer(redact(intent.text), context);
        return personal ? { ...reply, text: `${GROUP_PRIVACY_NOTE}\n${reply.text}` } : reply;
      }
      case 'lookup':
        if (!intent.query)
          return { text: '请在“查”后面写要查的内容，例如：查 矛盾纠纷', citations: [] };
        return this.unavailable(this.handlers.lookup, (h) => h(intent.query, context));
      case 'draft':
        if (!intent.section) {
          return {
            text: '请写明要起草的部分，例如：起草 存在的不足（另起几行写要点）',
            citations: [],
          };
        }
        return this.unavailable(this.handlers.draft, (h) => h(intent.section, intent.notes));
      case 'reindex':
        return this.unavailable(this.handlers.reindex, async (h) => ({
          text: await h(),
          citations: [],
        }));
      case 'status':
        return this.unavailable(this.handlers.status, async (h) => ({
          text: await h(),
          citations: [],
        }));
    }
  }

  private async receiveFile(message: Incoming, role: Role): Promise<Reply> {
    if (role !== 'staff' && role !== 'admin') {
      return { text: '只有镇里的工作人员可以往知识库里添加文件。', citations: [] };
    }
    const file = message.file!;
    return this.unavailable(this.handlers.saveUpload, async (h) => ({
      text: await h(file.name, file.bytes),
      citations: [],
    }));
  }

  private async unavailable<H>(
    handler: H | undefined,
    run: (h: H) => Promise<Reply>,
  ): Promise<Reply> {
    if (!handler) return { text: '这个功能还没有开通。', citations: [] };
    return run(handler);
  }
}
