import type { RecordedRequest } from '../src/simulator/index.js';
import { ReplyClock } from './cards.js';
import { slashCommands } from './load.js';
import { type Summary, summarize } from './percentiles.js';
import type { Rig } from './rig.js';

export interface OverheadOptions {
  commands: number;
  upstreamLatencyMs: number;
  replyTimeoutMs: number;
  progress: (line: string) => void;
}

export interface OverheadFigures {
  /** The bot: command sent → its reply recorded, minus VPS.org's own time to answer. */
  bot: Summary;
  /** The floor app (floor-bolt.ts) measured the same way: the hops alone. */
  floor: Summary;
  /** Each bot command minus the floor command sent next to it: the bot's own cost. */
  own: Summary;
}

/**
 * VPS.org's own time in one command: from the simulator receiving the server's GET to writing its
 * answer, as the simulator measured it. Its timer fires a little after the latency asked (about 1 ms
 * late at 300 ms on a busy machine), and that time is VPS.org's, not the bot's.
 */
function vpsTime(requests: readonly RecordedRequest[], path: string): number {
  const gets = requests.filter((request) => request.method === 'GET' && request.path === path);
  if (gets.length !== 1)
    throw new Error(`overhead: expected one GET ${path} per command, saw ${gets.length}`);
  const answeredAfterMs = gets[0]?.answeredAfterMs;
  if (answeredAfterMs === undefined) throw new Error('overhead: the simulator did not answer the GET');
  return answeredAfterMs;
}

/**
 * Figure 3 without load: `/vps show <id>` one at a time, command sent → the reply recorded by the
 * stand-in, minus the time the simulator took to answer the GET. The bot and the floor app take
 * turns, command by command, so that both see the same machine; what the floor takes (three
 * processes, five loopback hops, Bolt) is not the bot's doing, and the difference is. (Figure 1's
 * bot rounds give the bot's figure under load.)
 */
export async function overheadAlone(rig: Rig, options: OverheadOptions): Promise<OverheadFigures> {
  const { sim, slack } = rig;
  const server = sim.servers()[0];
  if (server === undefined) throw new Error('the simulator has no server to show');
  options.progress(`overhead: ${options.commands} commands one at a time, each beside one to the floor app`);
  const clock = new ReplyClock(slack);
  sim.setLatency(options.upstreamLatencyMs);
  const path = `/api/v1/servers/${server.id}/`;
  const one = async (url: string): Promise<number> => {
    const asked = sim.requests.length;
    const { acks } = await slashCommands(slack, url, {
      total: 1,
      concurrency: 1,
      text: () => `show ${server.id}`,
    });
    const ack = acks[0];
    if (ack === undefined || ack.status !== 200) throw new Error('overhead: a command was not acked');
    // The next command goes only once this one's reply is in: one at a time, end to end.
    const missing = await clock.waitForAll([ack.responseUrl], options.replyTimeoutMs);
    const arrived = clock.arrivedAt(ack.responseUrl);
    if (missing.length > 0 || arrived === undefined) throw new Error('overhead: a command got no reply');
    return arrived - ack.sentAt - vpsTime(sim.requests.slice(asked), path);
  };
  const bot: number[] = [];
  const floor: number[] = [];
  const own: number[] = [];
  try {
    for (let i = 0; i < options.commands; i++) {
      // Which goes first alternates, so neither always follows the other's leftovers.
      let b: number;
      let f: number;
      if (i % 2 === 0) {
        b = await one(rig.botUrl);
        f = await one(rig.floorUrl);
      } else {
        f = await one(rig.floorUrl);
        b = await one(rig.botUrl);
      }
      bot.push(b);
      floor.push(f);
      own.push(b - f);
    }
  } finally {
    clock.dispose();
    sim.setLatency(0);
  }
  return { bot: summarize(bot), floor: summarize(floor), own: summarize(own) };
}
