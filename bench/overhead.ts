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
  /** The bot: command sent → its reply recorded, minus VPS.org's delay. */
  bot: Summary;
  /** The floor app (floor-bolt.ts) measured the same way: the hops alone. */
  floor: Summary;
  /** Each bot command minus the floor command sent next to it: the bot's own cost. */
  own: Summary;
}

/**
 * Figure 3 without load: `/vps show <id>` one at a time, command sent → the reply recorded by the
 * stand-in, minus the simulator's delay. The bot and the floor app take turns, command by command, so
 * that both see the same machine; what the floor takes (three processes, five loopback hops, Bolt) is
 * not the bot's doing, and the difference is. (Figure 1's bot rounds give the bot's figure under load.)
 */
export async function overheadAlone(rig: Rig, options: OverheadOptions): Promise<OverheadFigures> {
  const { sim, slack } = rig;
  const server = sim.servers()[0];
  if (server === undefined) throw new Error('the simulator has no server to show');
  options.progress(`overhead: ${options.commands} commands one at a time, each beside one to the floor app`);
  const clock = new ReplyClock(slack);
  sim.setLatency(options.upstreamLatencyMs);
  const one = async (url: string): Promise<number> => {
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
    return arrived - ack.sentAt - options.upstreamLatencyMs;
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
