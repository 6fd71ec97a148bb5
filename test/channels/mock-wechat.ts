import type { EventEmitter } from 'node:events';
import { FileBox } from 'file-box';
import { types, WechatyBuilder } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { Incoming, Reply } from '../../src/bot/types.ts';
import { WechatyChannel } from '../../src/channels/wechaty.ts';

/** One message the bot's account sent, as the mock WeChat saw it. */
export interface Sent {
  /** Room id or contact id it went to. */
  to: string;
  text: string;
  file?: { name: string; bytes: Buffer };
}

export type Handle = (message: Incoming) => Promise<Reply | undefined>;

/**
 * A logged-in bot account on a PuppetMock, a few contacts, two rooms, and the channel started on
 * it. Ids without "@" are contacts and ids with "@" are rooms: the mock routes sends that way.
 */
export async function startMockWechat(handle: Handle, rooms: string[] = []) {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const wechaty = WechatyBuilder.build({ puppet });
  const logs: string[] = [];
  const channel = new WechatyChannel({ rooms }, { wechaty, log: (line) => logs.push(line) });

  const self = mocker.createContact({ id: 'wxid_bot', name: '法治助手' });
  const resident = mocker.createContact({ id: 'wxid_zhang', name: '张大爷' });
  const staff = mocker.createContact({ id: 'wxid_wang', name: '王干事' });
  const members = [self.id, resident.id, staff.id];
  const villageRoom = mocker.createRoom({
    id: 'village@chatroom',
    topic: '松村村民群',
    memberIdList: members,
  });
  const otherRoom = mocker.createRoom({
    id: 'other@chatroom',
    topic: '广场舞群',
    memberIdList: members,
  });

  let fileCount = 0;
  const sent: Sent[] = [];
  // Every message the bot's account sends is emitted on that contact by the mocker.
  // (Typed with the `typed-emitter` package, which is not installed: hence the cast.)
  (self as unknown as EventEmitter).on('message', (msg: mock.MessageMock) => {
    if (msg.talker().id !== self.id) return;
    const to = msg.room()?.id ?? msg.listener()?.id ?? '?';
    const json = mocker.cacheFileBoxPayload.get(msg.id);
    if (json && 'base64' in json) {
      sent.push({
        to,
        text: '',
        file: { name: json.name, bytes: Buffer.from(json.base64, 'base64') },
      });
    } else {
      sent.push({ to, text: msg.text() ?? '' });
    }
  });

  await channel.start(handle);
  const loggedIn = new Promise<void>((resolve) => wechaty.on('login', () => resolve()));
  mocker.login(self);
  await loggedIn;

  return {
    mocker,
    wechaty,
    channel,
    logs,
    sent,
    self,
    resident,
    staff,
    villageRoom,
    otherRoom,
    /** A file box as a contact would send it with `contact.say(box)`. */
    file: (name: string, bytes: Uint8Array) =>
      FileBox.fromBase64(Buffer.from(bytes).toString('base64'), name),
    /**
     * `from` sends a file as an Attachment message, to the bot (default) or a room. (The mock's
     * own `contact.say(fileBox)` picks the type from the media type and never yields Attachment
     * for .txt/.pdf/.docx, so the message is made here the way `say` makes it.)
     */
    sendFile: (from: mock.ContactMock, name: string, bytes: Uint8Array, room?: mock.RoomMock) => {
      const id = `file-${++fileCount}`;
      const box = FileBox.fromBase64(Buffer.from(bytes).toString('base64'), name);
      mocker.cacheFileBoxPayload.set(id, box.toJSON());
      mocker.MessageMock.create({
        id,
        talkerId: from.id,
        ...(room ? { roomId: room.id, mentionIdList: [] } : { listenerId: self.id }),
        timestamp: Date.now(),
        type: types.Message.Attachment,
      });
      puppet.emit('message', { messageId: id });
    },
    stop: () => channel.stop(),
  };
}

/** Polls until `check` returns a truthy value; fails after `timeoutMs` with `what`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
