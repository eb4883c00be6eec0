import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulator } from '../src/simulator/index.js';
import { SlackStandin } from '../src/slack-standin/index.js';
import { startArgs } from '../test/e2e/process.js';
import { RedisServer } from '../test/redis/server.js';
import { ReplyClock } from './cards.js';
import { wallClock } from './clock.js';
import { type Ack, slashCommands } from './load.js';
import { type Summary, summarize } from './percentiles.js';
import { startListening, TsProcess } from './processes.js';
import { type LoadBalancer, roundRobinProxy } from './proxy.js';
import { type TrackerFigures, trackerFigures } from './tracker.js';

export interface ReplicaOptions {
  /** Measured `/vps show` commands per setup, their concurrency, rounds per setup, warm-up. */
  commands: number;
  concurrency: number;
  rounds: number;
  warmup: number;
  upstreamLatencyMs: number;
  /** Servers started at once through the pair, for the tracker's requests per poll. */
  tracked: number;
  settleMs: number;
  pollSeconds: number;
  replyTimeoutMs: number;
  progress: (line: string) => void;
}

export interface SetupFigures {
  replicas: number;
  acks: Summary;
  /** Commands answered a second: commands ÷ (first sent → last reply recorded), per round, summed. */
  perSecond: number;
  over3s: number;
  failed: number;
  missingReplies: number;
}

export interface ReplicaFigures {
  one: SetupFigures;
  two: SetupFigures;
  /** The pair's tracker: every request to VPS.org from either replica, per poll. */
  tracker: TrackerFigures;
  /** How the pair's start commands were shared out: changes made by each replica. */
  changesPerReplica: number[];
  /** The lease holder of the pair killed (SIGKILL): until the other logs that it holds the lease. */
  handover: { leaseMs: number; tookMs: number };
}

const SLACK_ACK_MS = 3000;
/** The pair's VPS_LEASE_SECONDS: short, so that the handover figure takes seconds, not the default 15. */
const LEASE_SECONDS = 2;
const HOLDING = 'holding the lease: this replica runs the tracker, the fleet watch and the scheduler';

/**
 * Figure 8: one replica and two replicas on one Redis, each setup behind the same round-robin proxy,
 * the same `/vps show` load in alternating rounds of one run; then the pair's tracker following
 * servers started through both replicas. Redis, the simulator and the stand-in are this process's.
 */
export async function replicaFigures(options: ReplicaOptions): Promise<ReplicaFigures> {
  const { progress } = options;
  progress('replicas: starting Redis, the simulator, the stand-in, one replica and a pair');
  const redis = await RedisServer.start();
  const sim = new Simulator({ settleMs: options.settleMs, provisionMs: options.settleMs * 4 });
  const slack = new SlackStandin();
  await Promise.all([sim.listen(), slack.listen()]);
  const home = await mkdtemp(join(tmpdir(), 'vps-bot-bench-replicas-'));
  const processes: TsProcess[] = [];
  const proxies: LoadBalancer[] = [];
  // The one replica and the pair share nothing: a Redis database each.
  const replica = (name: string, db: number) => {
    const bot = new TsProcess(
      name,
      startArgs(),
      {
        NODE_ENV: 'production',
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: slack.signingSecret,
        SLACK_API_URL: slack.apiUrl,
        SLACK_APP_TOKEN: '',
        PORT: '0',
        VPS_API_URL: sim.baseUrl,
        VPS_API_TOKEN: sim.token,
        VPS_OPERATORS: '',
        VPS_NOTIFY_CHANNEL: '',
        VPS_POLL_SECONDS: String(options.pollSeconds),
        REDIS_URL: redis.url(db),
        VPS_LEASE_SECONDS: String(LEASE_SECONDS),
        LOG_LEVEL: 'info',
      },
      home,
    );
    processes.push(bot);
    return bot;
  };
  try {
    const alone = replica('replica (alone)', 1);
    const pair = [replica('replica A', 0), replica('replica B', 0)];
    const urls = async (bots: TsProcess[]) =>
      Promise.all(
        bots.map(
          async (bot) => `http://127.0.0.1:${await startListening(bot, 'vps-bot is running')}/slack/events`,
        ),
      );
    const [oneUrls, twoUrls] = await Promise.all([urls([alone]), urls(pair)]);
    const one = await roundRobinProxy(oneUrls);
    const two = await roundRobinProxy(twoUrls);
    proxies.push(one, two);

    const load = await alternatingLoad(sim, slack, { one: one.url, two: two.url }, options);
    progress(`replicas: ${options.tracked} servers started through the pair`);
    const tracker = await trackerFigures(
      { sim, slack, botUrl: two.url },
      {
        servers: options.tracked,
        concurrency: options.concurrency,
        pollMs: options.pollSeconds * 1000,
        timeoutMs: options.settleMs + 60_000,
        progress,
      },
    );
    const changesPerReplica = pair.map(
      (bot) => bot.lines.filter((line) => line.msg === 'following a server until it settles').length,
    );
    const handover = await handoverAfterKill(pair, progress);
    return { ...load, tracker, changesPerReplica, handover };
  } finally {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await Promise.all(processes.map((bot) => bot.kill()));
    await Promise.all([sim.close(), slack.close(), redis.close()]);
    await rm(home, { recursive: true, force: true });
  }
}

/** Kills the pair's lease holder and times how long the other takes to hold the lease. */
async function handoverAfterKill(
  pair: TsProcess[],
  progress: (line: string) => void,
): Promise<ReplicaFigures['handover']> {
  const holds = (bot: TsProcess) => bot.lines.filter((line) => line.msg === HOLDING).length;
  const holder = pair.find((bot) => holds(bot) > 0);
  const other = pair.find((bot) => bot !== holder);
  if (!holder || !other) throw new Error('replicas: no replica of the pair holds the lease');
  progress(`replicas: killing the lease holder (${holder.name}), lease ${LEASE_SECONDS} s`);
  const before = holds(other);
  const killedAt = wallClock();
  await holder.kill();
  await other.waitForLine(() => holds(other) > before, 30_000);
  return { leaseMs: LEASE_SECONDS * 1000, tookMs: wallClock() - killedAt };
}

/** The same `/vps show` load to both setups, in alternating rounds (one, two, two, one, ...). */
async function alternatingLoad(
  sim: Simulator,
  slack: SlackStandin,
  targets: { one: string; two: string },
  options: ReplicaOptions,
): Promise<{ one: SetupFigures; two: SetupFigures }> {
  const server = sim.servers()[0];
  if (server === undefined) throw new Error('the simulator has no server to show');
  const clock = new ReplyClock(slack);
  sim.setLatency(options.upstreamLatencyMs);
  const sides = {
    one: { acks: [] as Ack[], errors: 0, missing: 0, commands: 0, wallMs: 0 },
    two: { acks: [] as Ack[], errors: 0, missing: 0, commands: 0, wallMs: 0 },
  };
  const round = async (side: 'one' | 'two', total: number, measured: boolean) => {
    const startedAt = wallClock();
    const load = await slashCommands(slack, targets[side], {
      total,
      concurrency: options.concurrency,
      text: () => `show ${server.id}`,
    });
    const urls = load.acks.map((ack) => ack.responseUrl);
    const missing = await clock.waitForAll(urls, options.replyTimeoutMs);
    if (!measured) return;
    const lastReply = Math.max(
      ...urls.map((url) => clock.arrivedAt(url) ?? Number.NaN).filter(Number.isFinite),
    );
    const figures = sides[side];
    figures.acks.push(...load.acks);
    figures.errors += load.errors.length;
    figures.missing += missing.length;
    figures.commands += total;
    figures.wallMs += lastReply - startedAt;
  };
  try {
    const perRound = Math.max(1, Math.floor(options.commands / options.rounds));
    if (options.warmup > 0) {
      options.progress(`replicas: warm-up, ${options.warmup} commands to each setup`);
      for (let sent = 0; sent < options.warmup; sent += perRound) {
        const size = Math.min(perRound, options.warmup - sent);
        await round('one', size, false);
        await round('two', size, false);
      }
    }
    for (let index = 0; index < options.rounds; index++) {
      const order: ('one' | 'two')[] = index % 2 === 0 ? ['one', 'two'] : ['two', 'one'];
      for (const side of order) {
        options.progress(
          `replicas: round ${index + 1}/${options.rounds}, ${perRound} commands to ${side === 'one' ? 'one replica' : 'two replicas'}`,
        );
        await round(side, perRound, true);
      }
    }
  } finally {
    clock.dispose();
    sim.setLatency(0);
  }
  const figures = (side: 'one' | 'two', replicas: number): SetupFigures => {
    const s = sides[side];
    return {
      replicas,
      acks: summarize(s.acks.map((ack) => ack.ms)),
      perSecond: s.wallMs > 0 ? (s.commands * 1000) / s.wallMs : Number.NaN,
      over3s: s.acks.filter((ack) => ack.ms > SLACK_ACK_MS).length,
      failed: s.errors + s.acks.filter((ack) => ack.status !== 200).length,
      missingReplies: s.missing,
    };
  };
  return { one: figures('one', 1), two: figures('two', 2) };
}
