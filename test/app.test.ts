import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createApp, safeUploadName } from '../src/app.ts';
import { createLogger } from '../src/bot/logger.ts';
import type { Incoming } from '../src/bot/types.ts';
import { loadConfig } from '../src/config.ts';

const ROOT = new URL('..', import.meta.url).pathname;

async function makeApp(prepare?: (knowledgeDir: string) => void, logLines?: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'fazhi-app-'));
  mkdirSync(join(dir, 'knowledge'), { recursive: true });
  cpSync(join(ROOT, 'knowledge/reports'), join(dir, 'knowledge/reports'), { recursive: true });
  cpSync(join(ROOT, 'knowledge/guides'), join(dir, 'knowledge/guides'), { recursive: true });
  prepare?.(join(dir, 'knowledge'));
  const config = loadConfig(
    {
      KNOWLEDGE_DIR: join(dir, 'knowledge'),
      DATA_DIR: join(dir, 'data'),
      STAFF_IDS: 'staff1',
      ADVISER_IDS: 'adviser1',
      ADMIN_IDS: 'admin1',
    },
    '',
  );
  const app = await createApp(config, { log: createLogger((line) => logLines?.push(line)) });
  return { app, dir };
}

const privateMessage = (senderId: string, text: string, file?: Incoming['file']): Incoming => ({
  channel: 'test',
  chatId: senderId,
  isGroup: false,
  senderId,
  text,
  mentionedBot: true,
  ...(file && { file }),
});

test('staff get a drafted section as text and a .docx', async () => {
  const { app } = await makeApp();
  const reply = await app.bot.handle(
    privateMessage(
      'staff1',
      '起草 存在的不足\n- 普法宣传覆盖面不够\n- 执法人员只有3人，专业人才少',
    ),
  );
  assert.match(reply!.text, /^二、存在的不足和原因\n一是/u);
  assert.match(reply!.text, /3人/u);
  assert.equal(reply!.file?.name, '存在的不足和原因-草稿.docx');
  assert.deepEqual([...reply!.file!.bytes.slice(0, 2)], [0x50, 0x4b], 'a zip (docx)');
  const unknown = await app.bot.handle(privateMessage('staff1', '起草 天气预报\n- 晴'));
  assert.match(unknown!.text, /存在的不足/u, 'an unknown section lists the parts');
});

test('a staff upload lands in knowledge/inbox, is indexed and then answerable', async () => {
  const { app, dir } = await makeApp();
  const bytes = new TextEncoder().encode(
    '# 松村镇秸秆禁烧通知\n\n## 常见问题：地里的秸秆能烧吗？\n\n全镇范围内禁止露天焚烧秸秆，违者由镇综合行政执法队查处。\n',
  );
  const confirm = await app.bot.handle(
    privateMessage('staff1', '', { name: '../秸秆禁烧.md', bytes }),
  );
  assert.match(confirm!.text, /已收到“秸秆禁烧.md”/u);
  assert.ok(existsSync(join(dir, 'knowledge/inbox/秸秆禁烧.md')));
  const answer = await app.bot.handle(privateMessage('resident1', '地里的秸秆能烧不'));
  assert.match(answer!.text, /禁止露天焚烧秸秆/u);
  const refused = await app.bot.handle(privateMessage('resident1', '', { name: 'x.md', bytes }));
  assert.match(refused!.text, /只有镇里的工作人员/u);
});

test('upload names are reduced to a safe file name with a supported extension', () => {
  assert.equal(safeUploadName('../../etc/passwd.txt'), 'passwd.txt');
  assert.equal(safeUploadName('..\\..\\x.docx'), 'x.docx');
  assert.equal(safeUploadName('run.exe'), undefined);
  assert.equal(safeUploadName('.hidden.md'), undefined);
  assert.equal(safeUploadName('通知 (1).PDF'), '通知_(1).PDF');
});

test('admins re-index and see status; others may not', async () => {
  const { app } = await makeApp();
  assert.match(
    (await app.bot.handle(privateMessage('admin1', '重建索引')))!.text,
    /已索引 \d+ 段/u,
  );
  assert.match((await app.bot.handle(privateMessage('admin1', '状态')))!.text, /知识库：\d+ 段/u);
  assert.match((await app.bot.handle(privateMessage('staff1', '重建索引')))!.text, /没有权限/u);
});

test('advisers look up past measures with year and section cited; residents may not', async () => {
  const { app } = await makeApp();
  const reply = await app.bot.handle(privateMessage('adviser1', '查 2023年排查了多少矛盾纠纷'));
  assert.match(reply!.text, /60余起/u);
  assert.match(reply!.text, /2023年报告/u);
  assert.ok(reply!.citations.some((c) => c.kind === 'report' && c.year === 2023));
  assert.match(
    (await app.bot.handle(privateMessage('resident1', '查 矛盾纠纷')))!.text,
    /没有权限/u,
  );
});

test('an uploaded report goes to reports/ and is found by 查; two uploads at once both land', async () => {
  const { app, dir } = await makeApp();
  const report = new TextEncoder().encode(
    '沁县松村镇人民政府\n关于2024年法治政府建设情况的报告\n一、主要举措和成效\n（一）强化执法。今年累计执法51次。\n二、存在的不足和原因\n一是人手少。\n',
  );
  const statute = new TextEncoder().encode('示范条例\n第一条 甲。\n第二条 乙。\n第三条 丙。\n');
  const [a, b] = await Promise.all([
    app.bot.handle(privateMessage('staff1', '', { name: '2024年报告.txt', bytes: report })),
    app.bot.handle(privateMessage('admin1', '', { name: '示范条例.txt', bytes: statute })),
  ]);
  assert.match(a!.text, /作为年度报告加入知识库/u);
  assert.match(b!.text, /作为法律法规加入知识库/u);
  assert.ok(existsSync(join(dir, 'knowledge/reports/2024年报告.txt')));
  assert.ok(existsSync(join(dir, 'knowledge/laws/示范条例.txt')));
  const lookup = await app.bot.handle(privateMessage('adviser1', '查 2024年累计执法多少次'));
  assert.match(lookup!.text, /51次/u);
  assert.match(
    (await app.bot.handle(privateMessage('admin1', '状态')))!.text,
    /知识库：\d+ 段，26 个文件/u,
  );
});

test('a file sent in a group is not saved and the sender is told to send it privately', async () => {
  const { app } = await makeApp();
  const reply = await app.bot.handle({
    ...privateMessage('staff1', '', {
      name: 'a.md',
      bytes: new TextEncoder().encode('# 甲\n\n乙'),
    }),
    isGroup: true,
    chatId: 'room',
  });
  assert.match(reply!.text, /私聊/u);
});

test('a malformed article-note line is logged with its file and line at start-up', async () => {
  const lines: string[] = [];
  await makeApp((knowledgeDir) => {
    mkdirSync(join(knowledgeDir, 'article-notes'));
    writeFileSync(
      join(knowledgeDir, 'article-notes', 'local.tsv'),
      '人民调解法\t第四条\t调解收钱吗；调委会收费\n人民调解法 第五条 缺了制表符\n',
    );
  }, lines);
  assert.ok(
    lines.some((l) => /warn article note skipped: local\.tsv:2: expected/u.test(l)),
    lines.join('\n'),
  );
  assert.equal(lines.filter((l) => /article note skipped/u.test(l)).length, 1);
});
