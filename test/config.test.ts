import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';

test('defaults to the offline embedder and the knowledge/ and data/ folders', () => {
  const config = loadConfig({}, '');
  assert.deepEqual(config.embeddings, { provider: 'offline', dimensions: 1024 });
  assert.equal(config.knowledgeDir, 'knowledge');
  assert.equal(config.indexDir, 'data/index');
  assert.equal(config.maxFileBytes, 50 * 1024 * 1024);
});

test('names the missing variables when the OpenAI-compatible embedder is chosen', () => {
  assert.throws(
    () => loadConfig({ EMBEDDINGS_PROVIDER: 'openai' }, ''),
    (error: unknown) =>
      error instanceof ConfigError &&
      /EMBEDDINGS_BASE_URL: required/.test(error.message) &&
      /EMBEDDINGS_MODEL: required/.test(error.message),
  );
  assert.throws(() => loadConfig({ EMBEDDINGS_PROVIDER: 'bert' }, ''), /EMBEDDINGS_PROVIDER/);
  assert.throws(() => loadConfig({ SEARCH_TOP_K: 'many' }, ''), /SEARCH_TOP_K/);
});

test('reads a .env file, with the environment taking precedence', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'fazhi-env-')), '.env');
  writeFileSync(file, 'SEARCH_TOP_K=7\nKNOWLEDGE_DIR=/srv/knowledge\n');
  const config = loadConfig({ KNOWLEDGE_DIR: 'mine' }, file);
  assert.equal(config.searchTopK, 7);
  assert.equal(config.knowledgeDir, 'mine');
  assert.equal(process.env.SEARCH_TOP_K, undefined, 'the .env file does not leak into process.env');
});

test('turns the model path on only when both LLM_BASE_URL and LLM_MODEL are set', () => {
  assert.equal(loadConfig({}, '').llm, undefined);
  assert.throws(() => loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:9/v1' }, ''), /LLM_MODEL/);
  const config = loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'qwen' }, '');
  assert.deepEqual(config.llm, {
    baseURL: 'http://127.0.0.1:9/v1',
    apiKey: 'not-needed',
    model: 'qwen',
    timeoutMs: 15000,
  });
});

test('.env.example documents every variable, and its defaults are valid', async () => {
  const { readFileSync } = await import('node:fs');
  const { parseEnv } = await import('node:util');
  const { CONFIG_VARIABLES } = await import('../src/config.ts');
  const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const documented = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gmu)].map((m) => m[1]));
  assert.deepEqual(
    CONFIG_VARIABLES.filter((v) => !documented.has(v)),
    [],
  );
  assert.doesNotThrow(() => loadConfig(parseEnv(text), ''));
});
