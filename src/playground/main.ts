import { randomBytes } from 'node:crypto';
import { createBot } from '../app.js';
import { ConfigError, type Environment, loadConfig } from '../config.js';
import { createLogger, errorFields } from '../log.js';
import { guardProcess } from '../process-guards.js';
import { Simulator } from '../simulator/index.js';
import { SlackStandin } from '../slack-standin/index.js';
import { FileStore } from '../store/file.js';
import { loadAssets, projectRoot, readCommand } from './assets.js';
import { EventStream } from './events.js';
import { PlaygroundFiles } from './files.js';
import { APPROVAL_REQUIRED, OPERATORS, OPS_CHANNEL } from './identity.js';
import { Routes } from './routes.js';
import { loadPlaygroundSettings, type PlaygroundSettings } from './settings.js';
import { VpsPanel } from './vps-panel.js';
import { furnish } from './workspace.js';

/** Web API methods that only read: nothing on the page changes, nothing to save. */
const READS = new Set([
  'auth.test',
  'users.info',
  'users.list',
  'conversations.info',
  'usergroups.users.list',
]);

function fail(reason: string): never {
  console.error(`Playground could not start: ${reason}`);
  process.exit(1);
}

function secret(prefix: string): string {
  return `${prefix}${randomBytes(18).toString('base64url')}`;
}

/** Log lines wait until the person has read where to go: the first line printed is the URL. */
function heldLines(): { write: (line: string) => void; release: () => void } {
  let held: string[] | undefined = [];
  return {
    write: (line) => {
      if (held) held.push(line);
      else process.stdout.write(line);
    },
    release: () => {
      const lines = held ?? [];
      held = undefined;
      for (const line of lines) process.stdout.write(line);
    },
  };
}

function banner(port: number, settings: PlaygroundSettings): string {
  const lines = [
    `Playground: open http://127.0.0.1:${port}/`,
    'This is a pretend Slack workspace with a simulated VPS.org, all on this machine; to connect a real ' +
      'workspace, put your Slack app and VPS.org tokens in .env (README: "Connect a real workspace") and run npm start again.',
  ];
  if (settings.vps) {
    lines.push(
      `Warning: VPS_API_URL and VPS_API_TOKEN are set, so the playground drives the real VPS.org at ${settings.vps.apiUrl}: its buttons change real servers.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The whole bot in one process, on 127.0.0.1 only: the real bot (createBot, Bolt's HTTP receiver on
 * an ephemeral port), the VPS.org simulator, and the Slack stand-in, whose port (PORT) also serves
 * the page. Commands typed in the page reach the bot signed, as Slack sends them. Resolves with the
 * exit code once stopped by SIGINT or SIGTERM; a failed start exits at once with one clear line.
 */
export async function runPlayground(env: Environment): Promise<number> {
  let settings: PlaygroundSettings;
  try {
    settings = loadPlaygroundSettings(env);
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  const root = projectRoot();
  let assets: ReturnType<typeof loadAssets>;
  try {
    assets = loadAssets(root);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const command = readCommand(root);

  const botToken = secret('xoxb-playground-');
  const signingSecret = secret('');
  const held = heldLines();
  const logger = createLogger({
    level: settings.logLevel,
    secrets: [botToken, signingSecret, ...(settings.vps ? [settings.vps.apiToken] : [])],
    write: held.write,
  });
  // The same last line of defence as the bot's own start (src/process-guards.ts).
  let stopAll = async (): Promise<void> => {};
  guardProcess({ logger, stop: () => stopAll() });

  let store: FileStore;
  try {
    store = await FileStore.open(settings.dir, logger);
  } catch (error) {
    held.release();
    fail(
      `${error instanceof Error ? error.message : String(error)} (${settings.dir}): stop it, or set STATE_DIR`,
    );
  }

  const events = new EventStream();
  const sim = settings.vps
    ? undefined
    : new Simulator({ settleMs: settings.settleMs, provisionMs: settings.settleMs * 4 });
  const panel = sim && new VpsPanel(sim);
  const files = new PlaygroundFiles(settings.dir, logger.child({ component: 'playground' }));
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  let port = settings.port;
  let slack: SlackStandin;
  const routes = new Routes(
    {
      get slack() {
        return slack;
      },
      panel,
      externalVpsUrl: settings.vps?.apiUrl,
      events,
      assets,
      command,
      ready,
      changed: (what) => {
        events.notify(what);
        if (what === 'slack') files.saveSlack();
        else files.saveVps();
      },
      clearConversation: () => {
        // The Home tabs are no conversation: Slack keeps them, and the bot may not republish at once.
        slack.reset({ keepHomeViews: true });
        furnish(slack);
        files.saveSlack();
        events.notify('slack');
      },
    },
    () => port,
  );
  slack = new SlackStandin({ botToken, signingSecret, intercept: (req, res) => routes.handle(req, res) });

  await files.load(slack, panel, Date.now());
  furnish(slack);
  slack.on('call', (call) => {
    if (READS.has(call.method)) return;
    events.notify(call.method);
    files.saveSlack();
  });
  sim?.on('request', (request) => {
    events.notify('vps');
    if (request.method !== 'GET') files.saveVps();
  });
  await sim?.listen(0);

  try {
    await slack.listen(settings.port);
  } catch (error) {
    await Promise.all([sim?.close(), store.close()]);
    held.release();
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === 'EADDRINUSE' ? `port ${settings.port} is already in use: set PORT` : String(error));
  }
  port = new URL(slack.origin).port === '' ? 80 : Number(new URL(slack.origin).port);
  process.stdout.write(banner(port, settings));
  held.release();

  const vps = settings.vps ?? { apiUrl: sim?.baseUrl ?? '', apiToken: sim?.token ?? '' };
  const config = loadConfig({
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    VPS_API_URL: vps.apiUrl,
    VPS_API_TOKEN: vps.apiToken,
    VPS_API_TIMEOUT_SECONDS: String(settings.apiTimeoutSeconds),
    VPS_OPERATORS: OPERATORS.join(','),
    VPS_NOTIFY_CHANNEL: OPS_CHANNEL.id,
    VPS_APPROVAL_REQUIRED: APPROVAL_REQUIRED.join(','),
    // Quick enough for a person to watch: a panel change shows in #ops within seconds.
    VPS_WATCH_SECONDS: '3',
    VPS_POLL_SECONDS: '1',
    STATE_DIR: settings.dir,
    LOG_LEVEL: settings.logLevel,
  });
  const bot = createBot({ config, logger, store, host: '127.0.0.1', slackRetries: 1 });
  try {
    const started = await bot.start();
    slack.botUrl = `http://127.0.0.1:${started.port}/slack/events`;
  } catch (error) {
    logger.error(errorFields(error), 'vps-bot could not start');
    await Promise.all([sim?.close(), slack.close(), store.close()]);
    process.exit(1);
  }
  resolveReady();
  logger.info({ port, bot: slack.botUrl }, 'playground is running');

  return new Promise<number>((stopped) => {
    let stopping = false;
    stopAll = async () => {
      events.close();
      await bot.stop();
      await Promise.all([sim?.close(), slack.close()]);
      await files.flush();
    };
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping the playground');
      await stopAll();
      stopped(0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  });
}
