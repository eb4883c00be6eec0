import { ReplyClock } from './cards.js';
import { type Ack, slashCommands } from './load.js';
import { type Summary, summarize } from './percentiles.js';
import type { Rig } from './rig.js';

export interface AckOptions {
  /** Measured commands per target (the bot, the bare app). */
  commands: number;
  concurrency: number;
  /** Rounds per target; the targets alternate, bot first then bare first (ABBA...). */
  rounds: number;
  /** Commands per target sent first and not measured: JIT and connection warm-up. */
  warmup: number;
  /** The simulator's delay before every answer. */
  upstreamLatencyMs: number;
  /** How long to wait for a round's replies before counting them missing. */
  replyTimeoutMs: number;
  progress: (line: string) => void;
}

export interface TargetAcks {
  acks: Summary;
  /** Acks slower than Slack's 3 s. */
  over3s: number;
  /** Acks with another HTTP status than 200, and requests with no HTTP answer. */
  failed: number;
}

export interface AckFigures {
  bot: TargetAcks;
  bare: TargetAcks;
  /** bot / bare, per percentile. */
  ratio: { p50: number; p95: number; p99: number; max: number };
  /** Figure 3: command sent → the bot's reply recorded, minus the simulator's delay, same commands. */
  overhead: Summary;
  /** Bot commands whose reply never came within replyTimeoutMs. */
  missingReplies: number;
  /** Replies that were not the server's card (an error message, say). */
  wrongReplies: number;
  /** Each measured round on its own, in the order they ran (for the JSON, not the table). */
  perRound: { target: 'bot' | 'bare'; commands: number; wallMs: number; acks: Summary }[];
  commands: number;
  concurrency: number;
  rounds: number;
  wallMs: number;
}

const SLACK_ACK_MS = 3000;

function roundSizes(total: number, rounds: number): number[] {
  const base = Math.floor(total / rounds);
  return Array.from({ length: rounds }, (_, i) => base + (i < total % rounds ? 1 : 0)).filter((n) => n > 0);
}

function targetFigures(acks: Ack[], errors: number): TargetAcks {
  return {
    acks: summarize(acks.map((ack) => ack.ms)),
    over3s: acks.filter((ack) => ack.ms > SLACK_ACK_MS).length,
    failed: errors + acks.filter((ack) => ack.status !== 200).length,
  };
}

/**
 * Figures 1 and 3: `/vps show <id>` at `concurrency` against the bot and against a bare Bolt app, in
 * alternating rounds of one run, with the simulator answering the bot after `upstreamLatencyMs`. A bot
 * round ends when every reply has arrived, so the next round starts from a quiet bot.
 */
export async function ackLatency(rig: Rig, options: AckOptions): Promise<AckFigures> {
  const { sim, slack } = rig;
  const server = sim.servers()[0];
  if (server === undefined) throw new Error('the simulator has no server to show');
  const text = () => `show ${server.id}`;
  const clock = new ReplyClock(slack);
  sim.setLatency(options.upstreamLatencyMs);
  const botAcks: Ack[] = [];
  const bareAcks: Ack[] = [];
  let botErrors = 0;
  let bareErrors = 0;
  let missingReplies = 0;
  const perRound: AckFigures['perRound'] = [];
  const started = performance.now();
  try {
    const round = async (target: 'bot' | 'bare', total: number, measured: boolean) => {
      const url = target === 'bot' ? rig.botUrl : rig.bareUrl;
      const load = await slashCommands(slack, url, { total, concurrency: options.concurrency, text });
      if (target === 'bot') {
        const missing = await clock.waitForAll(
          load.acks.map((ack) => ack.responseUrl),
          options.replyTimeoutMs,
        );
        if (measured) missingReplies += missing.length;
      }
      if (!measured) return;
      perRound.push({
        target,
        commands: total,
        wallMs: load.wallMs,
        acks: summarize(load.acks.map((a) => a.ms)),
      });
      if (target === 'bot') {
        botAcks.push(...load.acks);
        botErrors += load.errors.length;
      } else {
        bareAcks.push(...load.acks);
        bareErrors += load.errors.length;
      }
    };
    const sizes = roundSizes(options.commands, options.rounds);
    if (options.warmup > 0) {
      options.progress(`ack: warm-up, ${options.warmup} commands to each`);
      // In rounds the size of the measured ones: one long warm-up leaves the connections idle past the
      // servers' keep-alive while the bot answers, and the first measured round would pay to reopen them.
      const size = sizes[0] ?? options.warmup;
      for (const part of roundSizes(options.warmup, Math.ceil(options.warmup / size))) {
        await round('bot', part, false);
        await round('bare', part, false);
      }
    }
    for (const [index, size] of sizes.entries()) {
      const order: ('bot' | 'bare')[] = index % 2 === 0 ? ['bot', 'bare'] : ['bare', 'bot'];
      for (const target of order) {
        options.progress(`ack: round ${index + 1}/${sizes.length}, ${size} commands to the ${target}`);
        await round(target, size, true);
      }
    }
  } finally {
    clock.dispose();
    sim.setLatency(0);
  }
  const overheads: number[] = [];
  let wrongReplies = 0;
  for (const ack of botAcks) {
    const arrived = clock.arrivedAt(ack.responseUrl);
    if (arrived === undefined) continue;
    overheads.push(arrived - ack.sentAt - options.upstreamLatencyMs);
    const reply = clock.reply(ack.responseUrl)?.args.text;
    if (typeof reply !== 'string' || !reply.includes(server.name)) wrongReplies += 1;
  }
  const bot = targetFigures(botAcks, botErrors);
  const bare = targetFigures(bareAcks, bareErrors);
  return {
    bot,
    bare,
    ratio: {
      p50: bot.acks.p50 / bare.acks.p50,
      p95: bot.acks.p95 / bare.acks.p95,
      p99: bot.acks.p99 / bare.acks.p99,
      max: bot.acks.max / bare.acks.max,
    },
    overhead: summarize(overheads),
    missingReplies,
    wrongReplies,
    perRound,
    commands: options.commands,
    concurrency: options.concurrency,
    rounds: options.rounds,
    wallMs: performance.now() - started,
  };
}
