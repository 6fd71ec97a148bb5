import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startOpenAITestServer } from '../helpers/openai-test-server.ts';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const OFFLINE = { LLM_BASE_URL: '', LLM_MODEL: '', LLM_API_KEY: '' };

const draft = (args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/draft-command.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, KNOWLEDGE_DIR: join(ROOT, 'knowledge'), ...env },
  });

test('npm run draft prints the section in the town style and writes the .docx', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'fazhi-draft-')), '主要举措.docx');
  const { stdout } = await draft(
    [
      '--section',
      '主要举措',
      '--notes',
      'test/fixtures/notes/measures.txt',
      '--docx',
      out,
      '--year',
      '2024',
    ],
    OFFLINE,
  );
  assert.match(
    stdout,
    /^一、法治政府建设的主要举措和成效\n（一）强化法治宣传，优化法治政府建设环境。/u,
  );
  assert.match(stdout, /调解纠纷38起，成功率95%/u);
  assert.match(stdout, /已写入 .*主要举措\.docx/u);
  const bytes = readFileSync(out);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
});

test('npm run draft -- --section 全文 lists what the notes leave out', async () => {
  const { stdout } = await draft(
    ['--section', '全文', '--notes', 'test/fixtures/notes/full-partial.txt', '--year', '2024'],
    OFFLINE,
  );
  assert.match(stdout, /^关于2024年法治政府建设情况的报告\n/u);
  assert.match(stdout, /五、2025年推进法治政府建设的主要安排和具体计划/u);
  const left = stdout.split('—— 笔记没有写到的部分 ——')[1]!;
  assert.deepEqual(
    left
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('- ')),
    [
      '- 三、党政主要负责人履行第一责任人职责情况',
      '- 六、意见建议',
      '- 七、其他需要报告的重要事项',
    ],
  );
});

test('an unknown section fails with the list of parts', async () => {
  await assert.rejects(
    draft(['--section', '总结', '--notes', 'test/fixtures/notes/measures.txt'], OFFLINE),
    (error: { stderr: string; code: number }) =>
      error.code === 1 && /不认识“总结”/u.test(error.stderr) && /存在的不足/u.test(error.stderr),
  );
});

test('with a model server configured, an invented figure falls back to the offline draft', async () => {
  const srv = await startOpenAITestServer({
    chatReply: () => '一是群众法律意识还不强，学法氛围不浓，全镇仅有3名专职人员。',
  });
  try {
    const { stdout, stderr } = await draft(
      ['--section', '二', '--notes', 'test/fixtures/notes/shortcomings.txt', '--year', '2024'],
      { LLM_BASE_URL: srv.baseURL, LLM_MODEL: 'toy-chat', LLM_API_KEY: 'k' },
    );
    assert.equal(srv.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 1);
    assert.match(stderr, /model draft not used \(invented figures: 3名\)/u);
    assert.match(stdout, /^二、存在的不足和原因\n一是群众法律意识还不强，学法氛围不浓；二是/u);
    assert.doesNotMatch(stdout, /3名/u);
  } finally {
    await srv.close();
  }
});
