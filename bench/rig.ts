import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulator } from '../src/simulator/index.js';
import { SlackStandin } from '../src/slack-standin/index.js';
import { startArgs } from '../test/e2e/process.js';
import { PeakRss, rssKb } from './memory.js';
import { ROOT, startListening, TsProcess } from './processes.js';

export interface RigOptions {
  /** How long the simulator's start/stop/reboot take to settle. */
  settleMs: number;
  /** The bot's VPS_POLL_SECONDS. */
  pollSeconds: number;
}

/**
 * Everything a run measures, over loopback HTTP: the VPS.org simulator and the Slack stand-in in this
 * process, the real bot as `npm start` runs it and a bare Bolt app, each its own process.
 */
export interface Rig {
  sim: Simulator;
  slack: SlackStandin;
  bot: TsProcess;
  botUrl: string;
  /** The peak resident set of the Node process running the bot, watched from its start. */
  botMemory: PeakRss;
  /** The bot's resident set once it is up, before any request: its baseline. */
  botStartRssMb: number;
  /** The peak resident set of the bare Bolt app's Node process, run the same way. */
  bareMemory: PeakRss;
  bare: TsProcess;
  bareUrl: string;
  /** Figure 3's floor: a bare Bolt app that acks, asks VPS.org once and replies (floor-bolt.ts). */
  floor: TsProcess;
  floorUrl: string;
  /** Kills the processes and closes the servers; idempotent. */
  stop(): Promise<void>;
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const sim = new Simulator({ settleMs: options.settleMs, provisionMs: options.settleMs * 4 });
  const slack = new SlackStandin();
  await Promise.all([sim.listen(), slack.listen()]);
  // The bot's STATE_DIR, and its working directory: no developer .env is read from there.
  const home = await mkdtemp(join(tmpdir(), 'vps-bot-bench-'));
  const common = {
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
  };
  // The bot exactly as `npm start` runs it: the built bundle with the same V8 flags.
  const bot = new TsProcess(
    'vps-bot',
    startArgs(),
    {
      ...common,
      // Blank counts as unset, and dotenv leaves a variable that is set alone.
      SLACK_APP_TOKEN: '',
      VPS_OPERATORS: '',
      VPS_NOTIFY_CHANNEL: '',
      VPS_API_URL: sim.baseUrl,
      VPS_API_TOKEN: sim.token,
      VPS_POLL_SECONDS: String(options.pollSeconds),
      STATE_DIR: join(home, 'state'),
      // info, the default: the "running" line carries the port; per request only audit lines are written.
      LOG_LEVEL: 'info',
    },
    home,
  );
  // The baseline runs the same way: built to plain JavaScript, with the bot's V8 flags.
  const flags = startArgs().filter((arg) => arg.startsWith('-'));
  const bare = new TsProcess('bare Bolt app', [...flags, join(ROOT, 'dist/bare-bolt.js')], common, home);
  const floor = new TsProcess(
    'floor Bolt app',
    [...flags, join(ROOT, 'dist/floor-bolt.js')],
    { ...common, VPS_API_URL: sim.baseUrl, VPS_API_TOKEN: sim.token },
    home,
  );
  const samplers: PeakRss[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const sampler of samplers) sampler.stop();
    await Promise.all([bot.kill(), bare.kill(), floor.kill()]);
    await Promise.all([sim.close(), slack.close()]);
    await rm(home, { recursive: true, force: true });
  };
  try {
    const [botPort, barePort, floorPort] = await Promise.all([
      startListening(bot, 'vps-bot is running'),
      startListening(bare, 'bare bolt is running'),
      startListening(floor, 'floor bolt is running'),
    ]);
    const botMemory = new PeakRss(bot.pid);
    const bareMemory = new PeakRss(bare.pid);
    samplers.push(botMemory, bareMemory);
    return {
      sim,
      slack,
      bot,
      botUrl: `http://127.0.0.1:${botPort}/slack/events`,
      botMemory,
      botStartRssMb: ((rssKb(bot.pid, 'now') ?? Number.NaN) * 1024) / 1e6,
      bareMemory,
      bare,
      bareUrl: `http://127.0.0.1:${barePort}/slack/events`,
      floor,
      floorUrl: `http://127.0.0.1:${floorPort}/slack/events`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
