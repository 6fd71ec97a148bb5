import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const fields = z.object({
  KNOWLEDGE_DIR: z.string().default('knowledge'),
  DATA_DIR: z.string().default('data'),
  EMBEDDINGS_PROVIDER: z.enum(['offline', 'openai']).default('offline'),
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(64).max(8192).optional(),
  EMBEDDINGS_BASE_URL: optionalText.pipe(z.url().optional()),
  EMBEDDINGS_API_KEY: optionalText,
  EMBEDDINGS_MODEL: optionalText,
  EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().positive().default(20000),
  LLM_BASE_URL: optionalText.pipe(z.url().optional()),
  LLM_API_KEY: optionalText,
  LLM_MODEL: optionalText,
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
  TOWN_NAME: z.string().trim().min(1).default('松村镇'),
  MAX_FILE_MB: z.coerce.number().positive().default(50),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(10),
  BOT_PREFIXES: z.string().default('法治助手'),
  STAFF_IDS: z.string().default(''),
  ADVISER_IDS: z.string().default(''),
  ADMIN_IDS: z.string().default(''),
  MAX_MESSAGE_AGE_S: z.coerce.number().int().positive().default(180),
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(20).default(500),
  RATE_PER_PERSON_PER_MIN: z.coerce.number().int().positive().default(10),
  RATE_PER_GROUP_PER_MIN: z.coerce.number().int().positive().default(30),
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HTTP_TOKEN: optionalText,
  WECHATY_PUPPET: optionalText,
  WECHATY_PUPPET_SERVICE_TOKEN: optionalText,
  WECHAT_ROOMS: z.string().default(''),
  WECOM_BOT_ID: optionalText,
  WECOM_BOT_SECRET: optionalText,
  SEARCH_TOP_K: z.coerce.number().int().min(1).max(50).default(5),
});

/** Every variable the program reads (each is documented in .env.example). */
export const CONFIG_VARIABLES = Object.keys(fields.shape);

const schema = fields.superRefine((env, ctx) => {
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(env.HTTP_HOST);
  if (!loopback && !env.HTTP_TOKEN) {
    ctx.addIssue({
      code: 'custom',
      path: ['HTTP_TOKEN'],
      message: `required when HTTP_HOST (${env.HTTP_HOST}) is not loopback: set a long random token`,
    });
  }
  if (Boolean(env.LLM_BASE_URL) !== Boolean(env.LLM_MODEL)) {
    ctx.addIssue({
      code: 'custom',
      path: [env.LLM_BASE_URL ? 'LLM_MODEL' : 'LLM_BASE_URL'],
      message: 'set both LLM_BASE_URL and LLM_MODEL to use a model server, or neither',
    });
  }
  if (env.EMBEDDINGS_PROVIDER !== 'openai') return;
  for (const key of ['EMBEDDINGS_BASE_URL', 'EMBEDDINGS_MODEL'] as const) {
    if (!env[key]) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `required when EMBEDDINGS_PROVIDER=openai (see .env.example)`,
      });
    }
  }
});

export interface Config {
  knowledgeDir: string;
  dataDir: string;
  indexDir: string;
  maxFileBytes: number;
  searchTopK: number;
  townName: string;
  maxUploadBytes: number;
  bot: {
    /** A group message counts as addressed to the bot when it starts with one of these. */
    prefixes: string[];
    /** Sender ids per role (`userId` or `channel:userId`); everyone else is a resident. */
    roles: { staff: string[]; adviser: string[]; admin: string[] };
    maxAgeMs: number;
    maxTextChars: number;
    perPersonPerMinute: number;
    perGroupPerMinute: number;
  };
  http: { host: string; port: number; token?: string };
  wechat: { puppet?: string; puppetToken?: string; rooms: string[] };
  wecom: { botId?: string; secret?: string };
  /** Values that must never appear in logs or replies. */
  secrets: string[];
  /** Present when a chat model server is configured; otherwise answers are offline. */
  llm?: { baseURL: string; apiKey: string; model: string; timeoutMs: number };
  embeddings:
    | { provider: 'offline'; dimensions: number }
    | {
        provider: 'openai';
        baseURL: string;
        apiKey: string;
        model: string;
        timeoutMs: number;
        dimensions?: number;
      };
}

/** "a, b，c" -> ["a", "b", "c"]. */
function list(value: string): string[] {
  return value
    .split(/[,，\s]+/u)
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Reads every setting once, from the environment and a `.env` file if present (the environment
 * wins). Errors name the variable and what it accepts.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  const fromFile = envFile && existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const merged = { ...fromFile, ...env };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid settings (environment or .env):\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  return {
    knowledgeDir: e.KNOWLEDGE_DIR,
    dataDir: e.DATA_DIR,
    indexDir: `${e.DATA_DIR}/index`,
    maxFileBytes: Math.round(e.MAX_FILE_MB * 1024 * 1024),
    searchTopK: e.SEARCH_TOP_K,
    townName: e.TOWN_NAME,
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    bot: {
      prefixes: list(e.BOT_PREFIXES),
      roles: { staff: list(e.STAFF_IDS), adviser: list(e.ADVISER_IDS), admin: list(e.ADMIN_IDS) },
      maxAgeMs: e.MAX_MESSAGE_AGE_S * 1000,
      maxTextChars: e.MAX_MESSAGE_CHARS,
      perPersonPerMinute: e.RATE_PER_PERSON_PER_MIN,
      perGroupPerMinute: e.RATE_PER_GROUP_PER_MIN,
    },
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT, ...(e.HTTP_TOKEN && { token: e.HTTP_TOKEN }) },
    wechat: {
      ...(e.WECHATY_PUPPET && { puppet: e.WECHATY_PUPPET }),
      ...(e.WECHATY_PUPPET_SERVICE_TOKEN && { puppetToken: e.WECHATY_PUPPET_SERVICE_TOKEN }),
      rooms: list(e.WECHAT_ROOMS),
    },
    wecom: {
      ...(e.WECOM_BOT_ID && { botId: e.WECOM_BOT_ID }),
      ...(e.WECOM_BOT_SECRET && { secret: e.WECOM_BOT_SECRET }),
    },
    secrets: [
      e.LLM_API_KEY,
      e.EMBEDDINGS_API_KEY,
      e.HTTP_TOKEN,
      e.WECHATY_PUPPET_SERVICE_TOKEN,
      e.WECOM_BOT_SECRET,
    ].filter((v): v is string => Boolean(v)),
    ...(e.LLM_BASE_URL &&
      e.LLM_MODEL && {
        llm: {
          baseURL: e.LLM_BASE_URL,
          apiKey: e.LLM_API_KEY ?? 'not-needed',
          model: e.LLM_MODEL,
          timeoutMs: e.LLM_TIMEOUT_MS,
        },
      }),
    embeddings:
      e.EMBEDDINGS_PROVIDER === 'openai'
        ? {
            provider: 'openai',
            baseURL: e.EMBEDDINGS_BASE_URL!,
            apiKey: e.EMBEDDINGS_API_KEY ?? 'not-needed',
            model: e.EMBEDDINGS_MODEL!,
            timeoutMs: e.EMBEDDINGS_TIMEOUT_MS,
            ...(e.EMBEDDINGS_DIMENSIONS && { dimensions: e.EMBEDDINGS_DIMENSIONS }),
          }
        : { provider: 'offline', dimensions: e.EMBEDDINGS_DIMENSIONS ?? 1024 },
  };
}
