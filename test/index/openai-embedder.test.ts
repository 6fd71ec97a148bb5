import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EmbeddingError } from '../../src/errors.ts';
import { buildKnowledgeIndex } from '../../src/index/build-knowledge-index.ts';
import { createOpenAIEmbedder } from '../../src/index/embedder.ts';
import { loadIndex } from '../../src/index/index-store.ts';
import { startOpenAITestServer, toyEmbedding } from '../helpers/openai-test-server.ts';

const settings = (baseURL: string, dimensions?: number) => ({
  baseURL,
  apiKey: 'test-key',
  model: 'toy-embed',
  timeoutMs: 2000,
  ...(dimensions && { dimensions }),
});

test('embeds through an OpenAI-compatible server, asking for float vectors', async () => {
  const server = await startOpenAITestServer({ dimensions: 8 });
  try {
    const embedder = await createOpenAIEmbedder(settings(server.baseURL, 8));
    assert.equal(embedder.id, 'openai:toy-embed:8');
    const [vector] = await embedder.embeddings.embedDocuments(['调解']);
    assert.deepEqual(vector, toyEmbedding('调解', 8));
    const body = server.requests.at(-1)!.body as { encoding_format?: string; model: string };
    assert.equal(body.encoding_format, 'float');
    assert.equal(body.model, 'toy-embed');
  } finally {
    await server.close();
  }
});

test('refuses at start-up a model whose vectors have the wrong length', async () => {
  const server = await startOpenAITestServer({ dimensions: 8 });
  try {
    await assert.rejects(createOpenAIEmbedder(settings(server.baseURL, 16)), (error: unknown) => {
      return error instanceof EmbeddingError && /length 8, expected 16/.test(error.message);
    });
  } finally {
    await server.close();
  }
});

test('says which settings to check when the embedding server fails', async () => {
  const server = await startOpenAITestServer({
    behaviour: (_req, _body, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'boom' } }));
      return true;
    },
  });
  try {
    await assert.rejects(createOpenAIEmbedder(settings(server.baseURL)), /EMBEDDINGS_BASE_URL/);
  } finally {
    await server.close();
  }
  // Nothing listens there any more: connection refused is reported the same way.
  await assert.rejects(createOpenAIEmbedder(settings(server.baseURL)), EmbeddingError);
});

test('an embedding server that dies during indexing leaves the previous index loadable', async () => {
  const root = mkdtempSync(join(tmpdir(), 'fazhi-openai-'));
  const knowledgeDir = join(root, 'knowledge');
  const indexDir = join(root, 'index');
  mkdirSync(join(knowledgeDir, 'guides'), { recursive: true });
  writeFileSync(join(knowledgeDir, 'guides', 'a.md'), '# 甲\n\n人民调解不收费。\n');
  let failing = false;
  const server = await startOpenAITestServer({
    dimensions: 8,
    behaviour: (_req, _body, res) => {
      if (!failing) return false;
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'down' } }));
      return true;
    },
  });
  try {
    const embedder = await createOpenAIEmbedder(settings(server.baseURL, 8));
    await buildKnowledgeIndex({ knowledgeDir, indexDir, embedder });
    writeFileSync(join(knowledgeDir, 'guides', 'b.md'), '# 乙\n\n法律援助。\n');
    failing = true;
    await assert.rejects(
      buildKnowledgeIndex({ knowledgeDir, indexDir, embedder }),
      /Embedding failed .*the previous index is kept/,
    );
    const saved = await loadIndex(indexDir, embedder);
    assert.deepEqual(
      saved.chunks.map((c) => c.meta.source),
      ['guides/a.md'],
    );
  } finally {
    await server.close();
  }
});
