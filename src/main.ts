import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from './bot/logger.ts';
import { createApp } from './app.ts';
import type { Channel } from './bot/types.ts';
import { createProgressBar } from './cli/progress-bar.ts';
import { ConsoleChannel, CONSOLE_USER } from './channels/console.ts';
import { HttpChannel } from './channels/http.ts';
import { loadConfig, type Config } from './config.ts';

const ROLES = ['staff', 'adviser', 'admin'] as const;

const CONSOLE_BANNER = `松村镇法治助手 (console, offline)。输入问题，回车；“帮助”看能做什么；“退出”结束。
Type a question as a resident would and press Enter; "退出" or Ctrl-D quits.`;

function fileWriter(path: string): (line: string) => void {
  mkdirSync(dirname(path), { recursive: true });
  return (line) => appendFileSync(path, `${line}\n`);
}

/** Only the chosen channel's module (and so its SDK) is loaded. */
async function createChannel(
  name: string,
  config: Config,
  log: (line: string) => void,
): Promise<Channel> {
  switch (name) {
    case 'console':
      return new ConsoleChannel(CONSOLE_BANNER);
    case 'http':
      return new HttpChannel(config.http);
    case 'wechat': {
      const { WechatyChannel } = await import('./channels/wechaty.ts');
      return new WechatyChannel(config.wechat, { log });
    }
    case 'wecom': {
      const { WecomChannel } = await import('./channels/wecom.ts');
      return new WecomChannel(config.wecom, { log });
    }
    default:
      throw new Error(`unknown channel "${name}": use console, http, wechat or wecom`);
  }
}

/** Composition root: config once, the app on the saved index, then the chosen channel. */
async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { as: { type: 'string' } },
  });
  const channelName = positionals[0] ?? 'console';
  const config = loadConfig();
  if (values.as) {
    const role = values.as as (typeof ROLES)[number];
    if (!ROLES.includes(role)) throw new Error(`--as takes ${ROLES.join(', ')}`);
    config.bot.roles[role].push(`console:${CONSOLE_USER}`);
  }
  // The console is a chat on the terminal: its log goes to a file so it does not interleave.
  const log =
    channelName === 'console'
      ? createLogger(fileWriter(join(config.dataDir, 'bot.log')), config.secrets)
      : undefined;
  const app = await createApp(config, {
    onProgress: createProgressBar('首次建立索引').update,
    onBuilt: (line) => console.error(line),
    ...(log && { log }),
  });
  const channel = await createChannel(channelName, config, (line) => app.log.info(line));
  await channel.start((message) => app.bot.handle(message));
  app.log.info(
    `${channel.name} channel started${channel instanceof HttpChannel ? ` on ${channel.address}` : ''}`,
  );

  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: stopping the ${channel.name} channel`);
    await channel.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  if (channel instanceof ConsoleChannel) {
    await channel.finished();
    process.exit(0);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
