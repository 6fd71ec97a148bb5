import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;

function makeWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'fazhi-cli-'));
  mkdirSync(join(dir, 'knowledge', 'reports'), { recursive: true });
  mkdirSync(join(dir, 'knowledge', 'laws'), { recursive: true });
  copyFileSync(
    join(ROOT, 'knowledge/reports/songcun-2023-fazhi-report.txt'),
    join(dir, 'knowledge/reports/songcun-2023-fazhi-report.txt'),
  );
  writeFileSync(join(dir, 'knowledge/laws/坏.pdf'), '%PDF-1.4 truncated');
  cpSync(join(ROOT, 'knowledge/guides'), join(dir, 'knowledge/guides'), { recursive: true });
  const env = {
    ...process.env,
    KNOWLEDGE_DIR: join(dir, 'knowledge'),
    DATA_DIR: join(dir, 'data'),
  };
  return { dir, env };
}

const tsx = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, env });

test('npm run index reports a corrupt file by name, then search cites the report section', async () => {
  const { env } = makeWorkspace();
  const index = await tsx('src/cli/index-command.ts', [], env);
  assert.match(index.stdout, /Indexed \d+ passages: 24 file\(s\) embedded/);
  assert.match(index.stdout, /Skipped laws\/坏\.pdf: /);

  const again = await tsx('src/cli/index-command.ts', [], env);
  assert.match(again.stdout, /0 file\(s\) embedded, 24 unchanged/);

  const search = await tsx('src/cli/search-command.ts', ['排查了多少矛盾纠纷', '--k', '2'], env);
  assert.match(
    search.stdout,
    /^1\. 《关于2023年法治政府建设情况的报告》（2023年） 一、法治政府建设的主要举措和成效 > （三）强化依法治理，化解矛盾纠纷/m,
  );
  assert.match(search.stdout, /60余起/);
});

function runConsole(env: NodeJS.ProcessEnv, args: string[], lines: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), ...args], {
    cwd: ROOT,
    env,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  for (const line of lines) child.stdin.write(`${line}\n`);
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out, err })),
  );
}

test('the console builds the index on first start and answers a typed question', async () => {
  const { env } = makeWorkspace();
  const { code, out, err } = await runConsole(
    env,
    [],
    ['找村里调委会调解要交钱不？', '状态', '退出'],
  );
  assert.equal(code, 0);
  assert.match(err, /已索引 \d+ 段/u);
  assert.match(out, /不收.*费用/u);
  assert.match(out, /可以找：.*调解委员会/u);
  assert.match(out, /提示：以上是法律信息/u);
  assert.match(out, /这个命令您没有权限使用/u, 'a resident may not ask for status');
});

test('the console takes another role with --as', async () => {
  const { env } = makeWorkspace();
  const { code, out } = await runConsole(env, ['console', '--as', 'admin'], ['状态', '退出']);
  assert.equal(code, 0);
  assert.match(out, /知识库：\d+ 段/u);
});
