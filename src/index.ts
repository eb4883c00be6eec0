import { webApi } from '@slack/bolt';
import { config as readDotenv } from 'dotenv';
import { type Bot, createBot } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createLogger, errorFields } from './log.js';
import { startMode } from './playground/decide.js';
import { guardProcess } from './process-guards.js';
import { FileStore } from './store/file.js';
import { RedisStore } from './store/redis.js';
import type { StateStore } from './store/store.js';

readDotenv({ quiet: true });

// No Slack settings, outside production: the playground, the whole bot in a browser page (README).
if (startMode(process.env, process.argv.slice(2)) === 'playground') {
  const { runPlayground } = await import('./playground/main.js');
  process.exit(await runPlayground(process.env));
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error));
  if (process.env.NODE_ENV === 'production') {
    console.error(
      'NODE_ENV is production, so the playground does not start in the bot\u2019s place: set the settings above (README: "Connect a real workspace"), or try vps-bot without Slack with npm run playground.',
    );
  }
  process.exit(1);
}

const logger = createLogger({
  level: config.logLevel,
  secrets: [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.vps.apiToken,
    ...(config.redis?.secrets ?? []),
  ].filter((secret): secret is string => secret !== undefined),
});

let bot: Bot | undefined;
guardProcess({ logger, stop: async () => bot?.stop() });

let store: StateStore;
if (config.redis) {
  // Never fails: a bot started while Redis is down starts, reports unhealthy, and recovers.
  store = await RedisStore.open(config.redis.url, logger);
} else {
  try {
    store = await FileStore.open(config.stateDir, logger);
  } catch (error) {
    logger.error({ ...errorFields(error), dir: config.stateDir }, 'could not open STATE_DIR');
    process.exit(1);
  }
}

bot = createBot({ config, logger, store });
try {
  const { port } = await bot.start();
  logger.info(
    {
      mode: config.slack.appToken ? 'socket' : 'http',
      port,
      vps: config.vps.apiUrl,
      state: config.redis ? 'redis' : 'files',
      replica: bot.leadership.holder,
    },
    'vps-bot is running',
  );
} catch (error) {
  logger.error({ reason: startFailure(error, config) }, 'vps-bot could not start');
  await store.close();
  process.exit(1);
}

/** Why the start failed, naming the setting to check. */
function startFailure(error: unknown, { slack }: Config): string {
  if (error instanceof webApi.WebAPIPlatformError) {
    return `Slack refused the bot token (${error.data.error}): check SLACK_BOT_TOKEN`;
  }
  if (error instanceof webApi.WebAPIRequestError) {
    return `could not reach Slack's Web API at ${slack.apiUrl}: check SLACK_API_URL and the network`;
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
    return `port ${slack.port} is already in use: set PORT`;
  return error instanceof Error ? error.message : String(error);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: no new requests, finishing work under way');
  await bot?.stop();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
