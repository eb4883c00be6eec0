import type { SimServer } from '../src/simulator/index.js';
import { ReplyClock } from './cards.js';
import { slashCommands } from './load.js';
import { type Summary, summarize } from './percentiles.js';
import type { Rig } from './rig.js';

export interface StormOptions {
  /** Commands per storm, and how many senders send them (each the next once the last is acked). */
  commands: number;
  concurrency: number;
  /** Servers the mixed storm asks about. */
  servers: number;
  /** The simulator's delay before each answer. */
  upstreamLatencyMs: number;
  /** In the rate-limited storms, every this-many-th request to VPS.org is answered 429 with this Retry-After. */
  limitEvery: number;
  retryAfterSeconds: number;
  replyTimeoutMs: number;
  progress: (line: string) => void;
}

export interface StormFigures {
  name: string;
  /** Whether VPS.org answered 429 to every `limitEvery`-th request. */
  rateLimited: boolean;
  limitEvery: number;
  latencyMs: number;
  commands: number;
  /** Distinct questions in the storm: one per server asked about by ID, and one for the list. */
  questions: number;
  /** Requests that reached VPS.org during the storm, retries included. */
  requests: number;
  /** Of which VPS.org answered 429. */
  answered429: number;
  /** Requests had every command asked VPS.org on its own, without retries. */
  naive: number;
  /** From the first command sent to the last reply recorded. */
  wallMs: number;
  /** requests ÷ (questions × the latency windows the storm lasted, rounded up): 1 is one request per question per window. */
  perQuestionWindow: number;
  /** Command sent → the bot's reply recorded (not minus the latency). */
  replies: Summary;
  /** Replies that were the card or list asked for, that said VPS.org is rate limiting, or neither. */
  answered: number;
  toldRateLimited: number;
  wrongReplies: number;
  missingReplies: number;
}

interface Ask {
  text: string;
  /** Requests the command would make alone: a name is found through the list, then its card read. */
  naive: number;
  /** What its reply must contain. */
  expect: string;
}

const RATE_LIMITED = 'VPS.org is rate limiting the bot';

/**
 * Figure 7: incident storms. `commands` lookups at `concurrency`: `/vps show` of one server, then a
 * mix over `servers` servers (by ID, by name, and `/vps list`); each again while VPS.org answers 429
 * to every `limitEvery`-th request. Counts what reached VPS.org and times every reply.
 */
export async function storms(rig: Rig, options: StormOptions): Promise<StormFigures[]> {
  const { sim } = rig;
  const [seed] = sim.servers();
  if (seed === undefined) throw new Error('the simulator has no server to show');
  const fleet = sim.addServers(options.servers, { name: 'storm' });
  const one = (): Ask => ({ text: `show ${seed.id}`, naive: 1, expect: seed.name });
  const mixed = (index: number): Ask => mixedAsk(fleet, index);
  const out: StormFigures[] = [];
  try {
    for (const rateLimited of [false, true]) {
      const { commands } = options;
      out.push(await storm(rig, options, `${commands} × /vps show of 1 server`, 1, one, rateLimited));
      const mix = `${commands} lookups over ${fleet.length} servers`;
      out.push(await storm(rig, options, mix, fleet.length + 1, mixed, rateLimited));
    }
  } finally {
    // Back to the seed fleet, no faults: the figures after this one start from where they expect.
    sim.reset();
  }
  await waitOutRateLimit(rig, seed, options.replyTimeoutMs);
  return out;
}

function mixedAsk(fleet: readonly SimServer[], index: number): Ask {
  const server = fleet[index % fleet.length];
  if (server === undefined) throw new Error('the storm has no servers');
  switch (Math.floor(index / fleet.length) % 4) {
    case 1:
      return { text: `show ${server.name}`, naive: 2, expect: server.name };
    case 3:
      return { text: 'list', naive: 1, expect: 'servers' };
    default:
      return { text: `show ${server.id}`, naive: 1, expect: server.name };
  }
}

async function storm(
  rig: Rig,
  options: StormOptions,
  name: string,
  questions: number,
  ask: (index: number) => Ask,
  rateLimited: boolean,
): Promise<StormFigures> {
  const { sim, slack } = rig;
  const limited = rateLimited ? `, VPS.org answering 429 to every ${options.limitEvery}th request` : '';
  options.progress(`storm: ${name}${limited}`);
  sim.setLatency(options.upstreamLatencyMs);
  if (rateLimited) {
    sim.fault({
      method: '*',
      path: /^\/api\/v1\//,
      every: options.limitEvery,
      status: 429,
      headers: { 'Retry-After': String(options.retryAfterSeconds) },
    });
  }
  const asks = Array.from({ length: options.commands }, (_, index) => ask(index));
  const from = sim.requests.length;
  const clock = new ReplyClock(slack);
  try {
    const load = await slashCommands(slack, rig.botUrl, {
      total: options.commands,
      concurrency: options.concurrency,
      text: (index) => asks[index]?.text ?? '',
    });
    const missing = await clock.waitForAll(
      load.acks.map((ack) => ack.responseUrl),
      options.replyTimeoutMs,
    );
    const requests = sim.requests.slice(from);
    const sentFirst = Math.min(...load.acks.map((ack) => ack.sentAt));
    const times: number[] = [];
    let answered = 0;
    let toldRateLimited = 0;
    let wrongReplies = 0;
    let lastReply = sentFirst;
    for (const ack of load.acks) {
      const arrived = clock.arrivedAt(ack.responseUrl);
      if (arrived === undefined) continue;
      times.push(arrived - ack.sentAt);
      lastReply = Math.max(lastReply, arrived);
      const text = clock.reply(ack.responseUrl)?.args.text;
      const expected = asks[ack.index]?.expect;
      if (typeof text === 'string' && text.includes(RATE_LIMITED)) toldRateLimited += 1;
      else if (typeof text === 'string' && expected !== undefined && text.includes(expected)) answered += 1;
      else wrongReplies += 1;
    }
    const wallMs = lastReply - sentFirst;
    const windows = Math.max(1, Math.ceil(wallMs / options.upstreamLatencyMs));
    return {
      name,
      rateLimited,
      limitEvery: options.limitEvery,
      latencyMs: options.upstreamLatencyMs,
      commands: options.commands,
      questions,
      requests: requests.length,
      answered429: requests.filter((request) => request.status === 429).length,
      naive: asks.reduce((sum, a) => sum + a.naive, 0),
      wallMs,
      perQuestionWindow: requests.length / (questions * windows),
      replies: summarize(times),
      answered,
      toldRateLimited,
      wrongReplies: wrongReplies + load.errors.length,
      missingReplies: missing.length,
    };
  } finally {
    clock.dispose();
    sim.setLatency(0);
  }
}

/** After the last 429 the bot waits out its Retry-After: the next figure must not pay for it. */
async function waitOutRateLimit(rig: Rig, server: SimServer, timeoutMs: number): Promise<void> {
  const clock = new ReplyClock(rig.slack);
  try {
    const { acks } = await slashCommands(rig.slack, rig.botUrl, {
      total: 1,
      concurrency: 1,
      text: () => `show ${server.id}`,
    });
    await clock.waitForAll(
      acks.map((ack) => ack.responseUrl),
      timeoutMs,
    );
  } finally {
    clock.dispose();
  }
}
