import { Simulator } from '../src/simulator/index.js';
import { limitViolations } from '../src/slack/blocks/check.js';
import { listPages } from '../src/slack/blocks/list.js';
import { type Server, serverSchema } from '../src/vps/schemas.js';
import { ReplyClock } from './cards.js';
import { wallClock } from './clock.js';
import { type Summary, summarize } from './percentiles.js';
import type { Rig } from './rig.js';

export interface ScaleOptions {
  sizes: readonly number[];
  /** Timed builds per size (the first warms up and counts too), and `/vps list` commands per size. */
  runs: number;
  replyTimeoutMs: number;
  progress: (line: string) => void;
}

export interface ListScale {
  servers: number;
  /** Building every page of the list, in this process, with the bot's pure builder. */
  build: Summary;
  pages: number;
  /** Pages breaking one of Slack's limits, and the first few problems: checked on every page. */
  pagesOverLimits: number;
  problems: string[];
  /** `/vps list` through the real bot with this many servers in VPS.org: command sent → first page recorded. */
  endToEnd: Summary;
  /** Replies to those commands that break a limit or are not the list. */
  badReplies: number;
}

/** Servers as the bot holds them after parsing VPS.org's list; one in ten as long and awkward as allowed. */
export function syntheticServers(count: number): Server[] {
  const fleet = new Simulator({ seed: false });
  return Array.from({ length: count }, (_, index) => {
    const worst = index % 10 === 9;
    const name = worst ? `${'a&b<c>d-'.repeat(8).slice(0, 58)}${String(index).padStart(5, '0')}` : undefined;
    const hostname = worst
      ? `${'h'.repeat(61)}.${'i'.repeat(61)}.${'j'.repeat(61)}.${'k'.repeat(57)}.com`
      : undefined;
    const added = fleet.addServer({
      name: name ?? `bench-${String(index + 1).padStart(5, '0')}`,
      ...(hostname === undefined ? {} : { hostname }),
      status: index % 3 === 0 ? 'stopped' : 'active',
    });
    return serverSchema.parse(added);
  });
}

async function timedBuilds(servers: readonly Server[], runs: number) {
  const times: number[] = [];
  let pages = listPages(servers, {});
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    pages = listPages(servers, {});
    times.push(performance.now() - started);
  }
  return { build: summarize(times), pages };
}

/**
 * Figure 5: every page of `/vps list` over each size, built with the bot's own builder and each checked
 * against Slack's limits; then `/vps list` through the bot with that many servers in the simulator.
 */
export async function listScale(rig: Rig, options: ScaleOptions): Promise<ListScale[]> {
  const { sim, slack } = rig;
  sim.setLatency(0);
  const out: ListScale[] = [];
  for (const size of [...options.sizes].sort((a, b) => a - b)) {
    options.progress(`scale: building every page of a list of ${size} servers`);
    const { build, pages } = await timedBuilds(syntheticServers(size), options.runs);
    const problems = pages.flatMap((page, index) =>
      limitViolations({ ...page }).map((problem) => `page ${index + 1}: ${problem}`),
    );
    const pagesOverLimits = pages.filter((page) => limitViolations({ ...page }).length > 0).length;

    const have = sim.servers().length;
    if (have < size) sim.addServers(size - have, { name: `fleet${size}` });
    options.progress(`scale: /vps list through the bot, ${sim.servers().length} servers in VPS.org`);
    const clock = new ReplyClock(slack);
    const times: number[] = [];
    let badReplies = 0;
    try {
      slack.botUrl = rig.botUrl;
      for (let run = 0; run < options.runs; run++) {
        const sentAt = wallClock();
        const sent = await slack.command({ text: 'list' });
        const missing = await clock.waitForAll([sent.responseUrl], options.replyTimeoutMs);
        const arrived = clock.arrivedAt(sent.responseUrl);
        const reply = clock.reply(sent.responseUrl);
        if (sent.status !== 200 || missing.length > 0 || arrived === undefined || reply === undefined) {
          throw new Error(
            `scale: /vps list over ${size} servers got no reply within ${options.replyTimeoutMs} ms`,
          );
        }
        times.push(arrived - sentAt);
        // The first page, saying how many servers there are (digits only: separators may change).
        const text = typeof reply.args.text === 'string' ? reply.args.text.replace(/[^\d ]/g, '') : '';
        const counted = text.split(' ').includes(String(sim.servers().length));
        if (limitViolations(reply.args).length > 0 || !counted) badReplies += 1;
      }
    } finally {
      clock.dispose();
    }
    out.push({
      servers: size,
      build,
      pages: pages.length,
      pagesOverLimits,
      problems: problems.slice(0, 5),
      endToEnd: summarize(times),
      badReplies,
    });
  }
  return out;
}
