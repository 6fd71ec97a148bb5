// Faults (issue 7): `npm run index` killed with SIGKILL at random points, repeatedly; a write
// failure while saving; graceful shutdown of the HTTP channel on SIGTERM with a request in flight.
// Run by `npm run test:stress`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildKnowledgeIndex } from '../../src/index/build-knowledge-index.ts';
import { createOfflineEmbedder } from '../../src/index/embedder.ts';
import { loadIndex } from '../../src/index/index-store.ts';
import { listKnowledgeFiles } from '../../src/ingest/knowledge-files.ts';
import { ingestFile } from '../../src/ingest/split-document.ts';
import {
  copyLaw,
  HAVE_LAWS,
  makeWorkspace,
  prng,
  ROOT,
  sleep,
  summary,
  type Workspace,
} from './stress-helpers.ts';

const BASE_STATUTES = [
  '土地管理法',
  '人民调解法',
  '农村土地承包法',
  '劳动合同法',
  '反家庭暴力法',
  '治安管理处罚法',
  '道路交通安全法',
  '法律援助法',
];
/** Added one per round. */
const MORE_STATUTES = ['老年人权益保障法', '村民委员会组织法', '消费者权益保护法', '劳动法'];

const workspaces: Workspace[] = [];
after(() => {
  for (const ws of workspaces) rmSync(ws.dir, { recursive: true, force: true });
});

/** What a complete index holds: its chunk count and the content hash of every file. */
interface IndexState {
  count: number;
  files: string; // JSON of { source: hash }, sorted
}

const filesJson = (entries: [string, string][]) =>
  JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))));

/** Loads the saved index as the app would and checks it is whole: chunks, vectors, graph. */
async function loadedState(indexDir: string): Promise<IndexState & { version: string }> {
  const embedder = createOfflineEmbedder(1024);
  const saved = await loadIndex(indexDir, embedder);
  assert.equal(saved.chunks.length, saved.manifest.chunkCount);
  assert.equal(saved.vectors.length, saved.chunks.length);
  assert.equal(saved.dense.size, saved.chunks.length, 'the graph holds every chunk');
  const perFile = Object.values(saved.manifest.files).reduce((n, f) => n + f.chunks, 0);
  assert.equal(perFile, saved.chunks.length, 'the manifest counts match the chunks');
  const sources = new Set(saved.chunks.map((c) => c.meta.source));
  assert.deepEqual([...sources].sort(), Object.keys(saved.manifest.files).sort());
  const hits = saved.dense.search(await embedder.embeddings.embedQuery('宅基地 调解'), 3);
  assert.equal(hits.length, Math.min(3, saved.chunks.length), 'the graph answers a search');
  return {
    count: saved.chunks.length,
    files: filesJson(Object.entries(saved.manifest.files).map(([s, f]) => [s, f.hash])),
    version: readFileSync(join(indexDir, 'CURRENT'), 'utf8').trim(),
  };
}

/** What a complete build of the knowledge folder as it is now would hold. */
async function expectedState(knowledgeDir: string): Promise<IndexState> {
  const files = listKnowledgeFiles(knowledgeDir);
  let count = 0;
  for (const file of files) count += (await ingestFile(file)).length;
  return { count, files: filesJson(files.map((f) => [f.source, f.hash])) };
}

const same = (a: IndexState, b: IndexState) => a.count === b.count && a.files === b.files;

interface Run {
  child: ChildProcess;
  spawnedAt: number;
  /** When the progress bar first printed (embedding done or under way), if it did. */
  progressAt?: number;
  /** When the save's temp version folder was first seen in the index folder, if it was. */
  saveAt?: number;
  /** When CURRENT was first seen naming another version (the new index committed). */
  commitAt?: number;
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function runIndex(ws: Workspace): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/index-command.ts')],
    { cwd: ROOT, env: ws.env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const run: Run = {
    child,
    spawnedAt: performance.now(),
    stderr: '',
    exited: new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
    ),
  };
  child.stderr!.on('data', (d: Buffer) => {
    run.stderr += d.toString();
    if (run.progressAt === undefined && /embedding: /u.test(run.stderr)) {
      run.progressAt = performance.now();
    }
  });
  // Watch the save: saveIndex first makes a .tmp-<version> folder, and ends by switching CURRENT.
  const current = () => readFileSync(join(ws.indexDir, 'CURRENT'), 'utf8');
  const before = current();
  const stale = new Set(readdirSync(ws.indexDir)); // .tmp folders an earlier kill left
  const watch = setInterval(() => {
    try {
      const names = readdirSync(ws.indexDir);
      if (run.saveAt === undefined && names.some((n) => n.startsWith('.tmp-') && !stale.has(n))) {
        run.saveAt = performance.now();
      }
      if (current() !== before) {
        run.commitAt = performance.now();
        run.saveAt ??= run.commitAt;
        clearInterval(watch);
      }
    } catch {
      // the folder may be changing under us
    }
  }, 2);
  void run.exited.then(() => clearInterval(watch));
  return run;
}

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

test(
  'SIGKILL at random points during `npm run index`, 8 rounds: the index loads whole, old or new',
  { timeout: 150_000, skip: HAVE_LAWS ? false : 'no statutes in ../shared/corpus/laws' },
  async () => {
    const ROUNDS = 8;
    const ws = makeWorkspace('fazhi-kill-', BASE_STATUTES);
    workspaces.push(ws);
    // A new seed each run (printed, and STRESS_SEED replays it), so runs cover other points.
    const seed = Number(process.env.STRESS_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const stopAt = Date.now() + 130_000;

    // Build once (in process), then one uninterrupted CLI update to time its phases.
    await buildKnowledgeIndex({
      knowledgeDir: ws.knowledgeDir,
      indexDir: ws.indexDir,
      embedder: createOfflineEmbedder(1024),
    });
    const guide = join(ws.knowledgeDir, 'guides', '邻里纠纷与人民调解.md');
    let edits = 0;
    const editGuide = () =>
      appendFileSync(
        guide,
        `\n\n## 补充说明${++edits}\n\n问：第${edits}次补充的问题怎么办？答：先找村调委会调解，调解不成可以到镇司法所或者法院。\n`,
      );
    editGuide();
    const calibration = runIndex(ws);
    const calibrated = await calibration.exited;
    assert.equal(calibrated.code, 0, calibration.stderr);
    assert.ok(calibration.progressAt, 'the CLI prints its progress');
    assert.ok(calibration.saveAt && calibration.commitAt, 'the save was seen');
    const toProgress = calibration.progressAt - calibration.spawnedAt;
    const afterProgress = calibrated.at - calibration.progressAt;
    const saveToCommit = calibration.commitAt - calibration.saveAt;
    const saveToExit = calibrated.at - calibration.saveAt;
    let previous = await loadedState(ws.indexDir);
    assert.ok(same(previous, await expectedState(ws.knowledgeDir)));

    const rounds: string[] = [];
    let added = 0;
    for (let round = 0; round < ROUNDS && Date.now() < stopAt; round++) {
      // Change the knowledge: add a statute, edit a guide, or remove a statute.
      if (round % 3 === 0) copyLaw(ws.knowledgeDir, MORE_STATUTES[added++ % MORE_STATUTES.length]!);
      else if (round % 3 === 1) editGuide();
      else rmSync(join(ws.knowledgeDir, 'laws', `${BASE_STATUTES[round]}.md`), { force: true });
      const next = await expectedState(ws.knowledgeDir);
      assert.ok(!same(next, previous), 'each round changes what the index must hold');

      // Where the kill lands: 0-3 s after the spawn (start-up, loading the old index, reading
      // files); a random point after the progress line (graph build, save, clean-up); or a random
      // point after the save began (its files, the CURRENT switch, removing old versions).
      const kind = round % 2 === 1 ? 'save' : round % 4 === 0 ? 'spawn' : 'progress';
      const run = runIndex(ws);
      let when: string;
      if (kind === 'spawn') {
        const delay = random() * 3000;
        when = `${delay.toFixed(0)} ms after spawn`;
        await Promise.race([sleep(delay), run.exited]);
      } else {
        // The save rounds aim at the save: its files, the CURRENT switch, the clean-up, the exit.
        const mark = kind === 'save' ? 'saveAt' : 'progressAt';
        await Promise.race([
          waitUntil(`the ${kind}`, () => run[mark] !== undefined, 30_000),
          run.exited,
        ]);
        const delay = random() * (kind === 'save' ? saveToExit : afterProgress);
        when = `${delay.toFixed(0)} ms after the ${kind === 'save' ? 'save began' : 'progress line'}`;
        const from = run[mark] ?? performance.now();
        await Promise.race([sleep(Math.max(0, from + delay - performance.now())), run.exited]);
      }
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      const exit = await run.exited;
      const killed = exit.signal === 'SIGKILL';
      if (!killed) assert.equal(exit.code, 0, run.stderr);

      const now = await loadedState(ws.indexDir);
      const outcome = same(now, previous) ? 'old' : same(now, next) ? 'new' : 'TORN';
      const leftovers = readdirSync(ws.indexDir).filter((n) => n.startsWith('.tmp-')).length;
      rounds.push(
        `round ${round + 1}: ${killed ? `killed ${when}` : 'finished before the kill'} -> ${outcome} index (${now.count} chunks; was ${previous.count}, new ${next.count})${leftovers ? `, ${leftovers} .tmp folder(s) left` : ''}`,
      );
      assert.notEqual(outcome, 'TORN', `round ${round + 1}: a torn index: ${rounds.join('\n')}`);
      if (!killed) assert.equal(outcome, 'new');
      previous = now;
    }
    assert.equal(rounds.length, ROUNDS, 'all rounds ran within the time bound');

    // Finally a normal run completes, loads, and leaves one version on disk.
    const final = runIndex(ws);
    const finalExit = await final.exited;
    assert.equal(finalExit.code, 0, final.stderr);
    const expected = await expectedState(ws.knowledgeDir);
    const loaded = await loadedState(ws.indexDir);
    assert.ok(same(loaded, expected), 'the final run indexed everything');
    assert.deepEqual(readdirSync(ws.indexDir).sort(), ['CURRENT', loaded.version].sort());

    const outcomes = rounds.map((r) => /-> (\w+)/u.exec(r)![1]);
    const maxLeft = Math.max(0, ...rounds.map((r) => Number(/(\d+) \.tmp/u.exec(r)?.[1] ?? 0)));
    for (const line of rounds) summary(`  ${line}`);
    summary(
      `FAULT kill -9 during index (seed ${seed}): ${ROUNDS} rounds (an update takes ${((toProgress + afterProgress) / 1000).toFixed(1)} s: ` +
        `${(toProgress / 1000).toFixed(1)} s to the progress line, ${(afterProgress / 1000).toFixed(1)} s after, ` +
        `the save ${saveToCommit.toFixed(0)} ms to the switch and ${saveToExit.toFixed(0)} ms to the exit), ` +
        `${outcomes.filter((o) => o === 'old').length} left the old index, ` +
        `${outcomes.filter((o) => o === 'new').length} the new, 0 torn; killed saves left up to ${maxLeft} .tmp folder(s), ` +
        `removed by the next complete save; the final run loads ${loaded.count} chunks`,
    );
  },
);

test(
  'a write failure while saving leaves the previous index loadable',
  { timeout: 90_000 },
  async () => {
    const ws = makeWorkspace('fazhi-writefail-', ['人民调解法', '反家庭暴力法']);
    workspaces.push(ws);
    const build = (faults?: { afterFile: (name: string) => void }) =>
      buildKnowledgeIndex({
        knowledgeDir: ws.knowledgeDir,
        indexDir: ws.indexDir,
        embedder: createOfflineEmbedder(1024),
        ...(faults && { faults }),
      });
    await build();
    const before = await loadedState(ws.indexDir);
    const guide = join(ws.knowledgeDir, 'guides', '赡养老人.md');
    appendFileSync(guide, '\n\n## 补充\n\n问：子女不给赡养费怎么办？答：先调解，再起诉。\n');
    const next = await expectedState(ws.knowledgeDir);
    assert.ok(!same(next, before));
    const methods: string[] = [];

    // 1. The index folder made read-only. As root chmod does not stop writes: probe first.
    chmodSync(ws.indexDir, 0o555);
    let chmodStopsWrites: boolean;
    try {
      writeFileSync(join(ws.indexDir, '.probe'), 'x');
      unlinkSync(join(ws.indexDir, '.probe'));
      chmodStopsWrites = false;
    } catch {
      chmodStopsWrites = true;
    }
    try {
      if (chmodStopsWrites) {
        await assert.rejects(build(), /EACCES|EPERM|permission/iu);
        assert.ok(same(await loadedState(ws.indexDir), before), 'read-only: the old index loads');
        methods.push('chmod 0o555 (write refused)');
      } else {
        methods.push(
          `chmod 0o555 not used: running as uid ${process.getuid?.()}, writes still succeed`,
        );
      }
    } finally {
      chmodSync(ws.indexDir, 0o755);
    }

    // 2. A failure after each file of the save (faults.afterFile), as a full disk would give.
    const steps = ['chunks.json', 'vectors.f32', 'embedder.json', 'hnsw', 'manifest.json'];
    steps.push('CURRENT.tmp');
    for (const step of steps) {
      await assert.rejects(
        build({
          afterFile: (name) => {
            if (name === step) throw new Error(`simulated write failure after ${name}`);
          },
        }),
        /simulated write failure/u,
      );
      const now = await loadedState(ws.indexDir);
      assert.ok(same(now, before), `after a failure at ${step} the old index loads`);
      assert.equal(now.version, before.version);
    }
    methods.push(`faults.afterFile at each of ${steps.join(', ')}`);

    // 3. A real failure root cannot write past: this process's CURRENT pointer file is a
    // folder, so writing it fails.
    const pointer = join(ws.indexDir, `CURRENT.tmp-${process.pid}`);
    rmSync(pointer, { force: true }); // left by the last fault
    mkdirSync(pointer);
    await assert.rejects(build(), /EISDIR|illegal operation on a directory/iu);
    assert.ok(same(await loadedState(ws.indexDir), before), 'EISDIR: the old index loads');
    rmdirSync(pointer);
    methods.push('CURRENT.tmp made a folder (EISDIR on the switch)');

    // Then a save that works: the new index, and the debris of the failures cleaned up.
    await build();
    const loaded = await loadedState(ws.indexDir);
    assert.ok(same(loaded, next), 'the next good save has the change');
    assert.deepEqual(readdirSync(ws.indexDir).sort(), ['CURRENT', loaded.version].sort());
    summary(
      `FAULT write failure while saving: ${methods.join('; ')} -> the previous index (${before.count} chunks) ` +
        `loaded every time; the next good save has ${loaded.count} chunks and leaves one version folder`,
    );
  },
);

/** POSTs /api/chat on its own connection, the body in two parts: the second when `rest` is called. */
function slowPost(port: number, body: string) {
  const bytes = Buffer.from(body);
  const cut = Math.floor(bytes.length / 2);
  const req = request({
    host: '127.0.0.1',
    port,
    path: '/api/chat',
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': bytes.length },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let data = '';
      res.on('data', (d: Buffer) => (data += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: data }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  req.write(bytes.subarray(0, cut));
  return { response, rest: () => req.end(bytes.subarray(cut)) };
}

test(
  'SIGTERM with requests in flight: they get their 200 answers, new connections are refused, exit 0',
  { timeout: 90_000 },
  async () => {
    const ws = makeWorkspace('fazhi-sigterm-', ['人民调解法', '土地管理法']);
    workspaces.push(ws);
    await buildKnowledgeIndex({
      knowledgeDir: ws.knowledgeDir,
      indexDir: ws.indexDir,
      embedder: createOfflineEmbedder(1024),
    });
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'http'], {
      cwd: ROOT,
      env: { ...ws.env, HTTP_PORT: '0' }, // the log line says which port it got
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await waitUntil(
        'the server to start',
        () => /started on http:\/\/\S+:\d+/u.test(stderr),
        60_000,
      );
      const port = Number(/started on http:\/\/\S+:(\d+)/u.exec(stderr)![1]);

      // A: on the wire but not yet complete (its body arrives after the signal), so its whole
      // answer is computed during the shutdown. B: a first (cold) question, under way.
      const a = slowPost(port, JSON.stringify({ userId: 'sig-a', text: '邻居占了俺家宅基地咋办' }));
      await sleep(500);
      const b = fetch(`http://127.0.0.1:${port}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'sig-b', text: '村里调解委员会调解要交钱不' }),
      }).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as { text?: string },
        at: performance.now(),
      }));
      await waitUntil('B at the bot', () => /question from resident sig-b/u.test(stderr), 10_000);

      const signalledAt = performance.now();
      child.kill('SIGTERM');
      await waitUntil(
        'the shutdown log',
        () => /SIGTERM: stopping the http channel/u.test(stderr),
        10_000,
      );
      // New connections are refused once the channel stops.
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), (error: Error) =>
        /fetch failed|ECONNREFUSED/u.test(`${error.message} ${String(error.cause)}`),
      );
      assert.equal(child.exitCode, null, 'still running while A is in flight');
      a.rest();

      const [ra, rb] = await Promise.all([a.response, b]);
      assert.equal(ra.status, 200, ra.text);
      assert.ok((JSON.parse(ra.text) as { text?: string }).text?.trim(), 'A has its answer');
      assert.equal(rb.status, 200);
      assert.ok(rb.body.text?.trim(), 'B has its answer');
      const exit = await Promise.race([
        exited,
        sleep(20_000).then(() => ({ code: null, signal: 'timeout' as const })),
      ]);
      const exitMs = performance.now() - signalledAt;
      assert.deepEqual(exit, { code: 0, signal: null }, stderr);
      summary(
        `FAULT SIGTERM during requests: the slow request (body completed after the signal) got 200 with its answer, ` +
          `the cold request got 200 (${rb.at > signalledAt ? 'after' : 'before'} the signal), new connections refused, ` +
          `exit 0 ${exitMs.toFixed(0)} ms after SIGTERM`,
      );
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  },
);
