import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { IndexError } from '../../src/errors.ts';
import { buildKnowledgeIndex } from '../../src/index/build-knowledge-index.ts';
import { createOfflineEmbedder } from '../../src/index/embedder.ts';
import { loadIndex } from '../../src/index/index-store.ts';
import { buildRetriever } from '../../src/retrieve/build-retriever.ts';

function makeKnowledge(): { knowledgeDir: string; indexDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'fazhi-index-'));
  const knowledgeDir = join(root, 'knowledge');
  mkdirSync(join(knowledgeDir, 'laws'), { recursive: true });
  mkdirSync(join(knowledgeDir, 'guides'), { recursive: true });
  writeFileSync(
    join(knowledgeDir, 'laws', '人民调解法.md'),
    '# 中华人民共和国人民调解法\n\n第一条 为了完善人民调解制度。\n\n第四条 人民调解委员会调解民间纠纷，不收取任何费用。\n',
  );
  writeFileSync(
    join(knowledgeDir, 'guides', '宅基地.md'),
    '# 宅基地\n\n农村村民一户只能拥有一处宅基地。\n',
  );
  return { knowledgeDir, indexDir: join(root, 'data', 'index') };
}

test('saves an index that loads back with the same chunks and answers a question', async () => {
  const { knowledgeDir, indexDir } = makeKnowledge();
  const report = await buildKnowledgeIndex({
    knowledgeDir,
    indexDir,
    embedder: createOfflineEmbedder(256),
  });
  assert.deepEqual([...report.embedded].sort(), ['guides/宅基地.md', 'laws/人民调解法.md']);
  assert.equal(report.chunkCount, 3);

  const embedder = createOfflineEmbedder(256);
  const saved = await loadIndex(indexDir, embedder);
  assert.equal(saved.chunks.length, 3);
  assert.equal(saved.dense.size, 3);
  const retriever = await buildRetriever({
    chunks: saved.chunks,
    embeddings: embedder.embeddings,
    dense: saved.dense,
  });
  const [top] = await retriever.retrievePassages('调解要收费用吗', { k: 1 });
  assert.equal(top?.chunk.meta.article, '第四条');
});

test('re-embeds only the changed file and drops a removed one', async () => {
  const { knowledgeDir, indexDir } = makeKnowledge();
  await buildKnowledgeIndex({ knowledgeDir, indexDir, embedder: createOfflineEmbedder(256) });
  writeFileSync(
    join(knowledgeDir, 'guides', '宅基地.md'),
    '# 宅基地\n\n建房要先申请。\n\n一户一宅。\n',
  );
  writeFileSync(join(knowledgeDir, 'guides', '新.md'), '# 新\n\n新内容。\n');
  let report = await buildKnowledgeIndex({
    knowledgeDir,
    indexDir,
    embedder: createOfflineEmbedder(256),
  });
  assert.deepEqual(report.embedded, ['guides/宅基地.md', 'guides/新.md'].sort());
  assert.deepEqual(report.reused, ['laws/人民调解法.md']);
  assert.equal(report.fullRebuildReason, undefined);

  writeFileSync(join(knowledgeDir, 'guides', '新.md'), '');
  report = await buildKnowledgeIndex({
    knowledgeDir,
    indexDir,
    embedder: createOfflineEmbedder(256),
  });
  assert.deepEqual(
    report.skipped.map((s) => [s.source, s.keptPrevious]),
    [['guides/新.md', true]],
  );
  const saved = await loadIndex(indexDir, createOfflineEmbedder(256));
  assert.ok(
    saved.chunks.some((c) => c.text === '新内容。'),
    'a file that turned unreadable keeps its old version',
  );
});

test('reports a corrupt file with its name and reason and indexes the rest', async () => {
  const { knowledgeDir, indexDir } = makeKnowledge();
  writeFileSync(
    join(knowledgeDir, 'guides', '坏.docx'),
    Buffer.from('PK\x03\x04 not really a zip'),
  );
  const report = await buildKnowledgeIndex({
    knowledgeDir,
    indexDir,
    embedder: createOfflineEmbedder(256),
  });
  assert.equal(report.skipped.length, 1);
  assert.equal(report.skipped[0]!.source, 'guides/坏.docx');
  assert.ok(report.skipped[0]!.reason.length > 0);
  assert.equal(report.chunkCount, 3);
});

test('rebuilds everything when the embedder changes, and says why', async () => {
  const { knowledgeDir, indexDir } = makeKnowledge();
  await buildKnowledgeIndex({ knowledgeDir, indexDir, embedder: createOfflineEmbedder(256) });
  await assert.rejects(loadIndex(indexDir, createOfflineEmbedder(512)), IndexError);
  const report = await buildKnowledgeIndex({
    knowledgeDir,
    indexDir,
    embedder: createOfflineEmbedder(512),
  });
  assert.match(
    report.fullRebuildReason ?? '',
    /embedder changed \(hashed-ngram-tfidf-v2:256 -> hashed-ngram-tfidf-v2:512\)/,
  );
  assert.equal(report.embedded.length, 2);
  assert.equal((await loadIndex(indexDir, createOfflineEmbedder(512))).chunks.length, 3);
});

test('a crash at any point of a save leaves the previous index loadable', async () => {
  const { knowledgeDir, indexDir } = makeKnowledge();
  await buildKnowledgeIndex({ knowledgeDir, indexDir, embedder: createOfflineEmbedder(256) });
  writeFileSync(join(knowledgeDir, 'guides', '新.md'), '# 新\n\n新内容。\n');
  for (const crashAt of ['chunks.json', 'vectors.f32', 'hnsw', 'manifest.json', 'CURRENT.tmp']) {
    await assert.rejects(
      buildKnowledgeIndex({
        knowledgeDir,
        indexDir,
        embedder: createOfflineEmbedder(256),
        faults: {
          afterFile: (name) => {
            if (name === crashAt) throw new Error(`simulated crash after ${name}`);
          },
        },
      }),
      /simulated crash/,
    );
    const saved = await loadIndex(indexDir, createOfflineEmbedder(256));
    assert.equal(saved.chunks.length, 3, `previous index intact after a crash at ${crashAt}`);
  }
  const report = await buildKnowledgeIndex({
    knowledgeDir,
    indexDir,
    embedder: createOfflineEmbedder(256),
  });
  assert.deepEqual(report.embedded, ['guides/新.md']);
  assert.equal((await loadIndex(indexDir, createOfflineEmbedder(256))).chunks.length, 4);
  // Leftovers of the crashed saves are cleaned up by the next successful one.
  assert.equal(readdirSync(indexDir).filter((n) => n !== 'CURRENT').length, 1);
});

test('a missing index tells how to build one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fazhi-empty-'));
  await assert.rejects(loadIndex(dir, createOfflineEmbedder(256)), /npm run index/);
});
