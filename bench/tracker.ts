import type { RecordedRequest } from '../src/simulator/index.js';
import type { Call } from '../src/slack-standin/index.js';
import { slashCommands } from './load.js';
import type { Rig } from './rig.js';

export interface TrackerOptions {
  /** Servers started at once, then followed until they settle. */
  servers: number;
  concurrency: number;
  /** The bot's VPS_POLL_SECONDS, in ms. */
  pollMs: number;
  timeoutMs: number;
  progress: (line: string) => void;
}

export interface TrackerFigures {
  servers: number;
  pollMs: number;
  /** Polls seen while every card was posted and not every server had settled. */
  polls: number;
  /** Every request the bot sent VPS.org in that time. */
  upstreamRequests: number;
  /** Of which `GET /servers/` (the list). */
  listRequests: number;
  perPoll: number;
  maxPerPoll: number;
  /** The server that settled last: from its settling in VPS.org to its card updated to show it. */
  lastSettleToCardMs: number;
  /** The same delay, the worst over all servers. */
  worstSettleToCardMs: number;
  /** From the first server settling to the last. */
  settleSpreadMs: number;
  cardsSettled: number;
}

const NAME_PREFIX = 'track';

/**
 * Figure 4: `servers` stopped servers get `/vps start <id>` at once; the bot posts a card for each and
 * its tracker follows them all. Counts what the bot asks VPS.org per poll once every card is up, and
 * how long each card takes to show its server settled.
 */
export async function trackerFigures(
  rig: Pick<Rig, 'sim' | 'slack' | 'botUrl'>,
  options: TrackerOptions,
): Promise<TrackerFigures> {
  const { sim, slack } = rig;
  sim.setLatency(0);
  const added = sim.addServers(options.servers, { status: 'stopped', name: NAME_PREFIX });
  const idByName = new Map(added.map((server) => [server.name, server.id]));
  const cardServer = new Map<string, number>();
  const settledCardAt = new Map<number, number>();
  let wake = () => {};
  const onCall = (call: Call) => {
    const text = typeof call.args.text === 'string' ? call.args.text : '';
    if (call.method === 'chat.postMessage' && call.args.thread_ts === undefined) {
      const name = new RegExp(`\\b${NAME_PREFIX}-\\d{4}\\b`).exec(text)?.[0];
      const ts = (call.response as { ts?: unknown } | undefined)?.ts;
      const id = name === undefined ? undefined : idByName.get(name);
      if (id !== undefined && typeof ts === 'string') cardServer.set(ts, id);
    } else if (call.method === 'chat.update' && typeof call.args.ts === 'string') {
      const id = cardServer.get(call.args.ts);
      // The card's text ends with the server's status: "(active)" once the start has settled.
      if (id !== undefined && /\(active\)\s*$/.test(text) && !settledCardAt.has(id))
        settledCardAt.set(id, Date.now());
    }
    wake();
  };
  const until = (done: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`tracker: ${what} within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      wake = () => {
        if (!done()) return;
        clearTimeout(timer);
        resolve();
      };
      wake();
    });
  slack.on('call', onCall);
  try {
    options.progress(`tracker: /vps start on ${options.servers} servers`);
    const load = await slashCommands(slack, rig.botUrl, {
      total: options.servers,
      concurrency: options.concurrency,
      text: (index) => `start ${added[index]?.id}`,
    });
    const failed = load.errors.length + load.acks.filter((ack) => ack.status !== 200).length;
    if (failed > 0) throw new Error(`tracker: ${failed} start commands were not acked`);
    await until(() => cardServer.size >= options.servers, `no card for each of ${options.servers} servers`);
    const windowStart = Date.now();
    options.progress(`tracker: ${options.servers} cards posted; waiting for every server to settle`);
    await until(() => settledCardAt.size >= options.servers, 'not every card showed its server settled');
    const windowEnd = Date.now();
    const polls = pollsIn(
      sim.requests.filter((request) => request.at >= windowStart && request.at <= windowEnd),
      options.pollMs,
    );
    const upstreamRequests = polls.reduce((sum, poll) => sum + poll.length, 0);
    const settleAt = new Map(
      added.map((server) => [server.id, Date.parse(sim.server(server.id)?.updated_at ?? '')]),
    );
    const lags = added.map(
      (server) => (settledCardAt.get(server.id) ?? Number.NaN) - (settleAt.get(server.id) ?? Number.NaN),
    );
    const times = [...settleAt.values()];
    const last = added.reduce((a, b) => ((settleAt.get(b.id) ?? 0) > (settleAt.get(a.id) ?? 0) ? b : a));
    return {
      servers: options.servers,
      pollMs: options.pollMs,
      polls: polls.length,
      upstreamRequests,
      listRequests: polls.flat().filter((r) => r.method === 'GET' && /\/servers\/$/.test(r.path)).length,
      perPoll: polls.length === 0 ? Number.NaN : upstreamRequests / polls.length,
      maxPerPoll: Math.max(...polls.map((poll) => poll.length)),
      lastSettleToCardMs: (settledCardAt.get(last.id) ?? Number.NaN) - (settleAt.get(last.id) ?? Number.NaN),
      worstSettleToCardMs: Math.max(...lags),
      settleSpreadMs: Math.max(...times) - Math.min(...times),
      cardsSettled: settledCardAt.size,
    };
  } finally {
    slack.off('call', onCall);
  }
}

/** Requests grouped into polls: a poll's requests come together, polls come `pollMs` or more apart. */
export function pollsIn(requests: readonly RecordedRequest[], pollMs: number): RecordedRequest[][] {
  const polls: RecordedRequest[][] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const request of [...requests].sort((a, b) => a.at - b.at)) {
    if (request.at - previous > pollMs / 2 || polls.length === 0) polls.push([request]);
    else polls[polls.length - 1]?.push(request);
    previous = request.at;
  }
  return polls;
}
