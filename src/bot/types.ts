import type { Reply } from '../answer/reply.ts';

/** One message in, as every channel maps its SDK's message to it. */
export interface Incoming {
  channel: string;
  chatId: string;
  isGroup: boolean;
  senderId: string;
  senderName?: string;
  text: string;
  /** The bot was @-mentioned (channels strip the "@name" from `text`). */
  mentionedBot: boolean;
  /** The channel's own id for the message, for dropping duplicates after a reconnect. */
  messageId?: string;
  /** When it was sent (ms since epoch), for dropping old messages after a reconnect. */
  sentAt?: number;
  /** Sent by the bot's own account. */
  fromSelf?: boolean;
  file?: { name: string; bytes: Uint8Array };
}

export type { Reply };

/** A transport: console, HTTP, WeChat, WeCom. Only its own file imports its SDK. */
export interface Channel {
  readonly name: string;
  start(handle: (message: Incoming) => Promise<Reply | undefined>): Promise<void>;
  stop(): Promise<void>;
}

export type Role = 'resident' | 'adviser' | 'staff' | 'admin';
