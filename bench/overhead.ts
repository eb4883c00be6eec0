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

/**
 * Figure 3 without load: `/vps show <id>` one at a time, command sent → the bot's reply recorded by
 * the stand-in, minus the simulator's delay: what the bot itself adds when nothing else is going on.
 * (Figure 1's bot rounds give the same figure under load.)
 */
export async function overheadAlone(rig: Rig, options: OverheadOptions): Promise<Summary> {
  const { sim, slack } = rig;
  const server = sim.servers()[0];
  if (server === undefined) throw new Error('the simulator has no server to show');
  options.progress(`overhead: ${options.commands} commands one at a time`);
  const clock = new ReplyClock(slack);
  sim.setLatency(options.upstreamLatencyMs);
  const overheads: number[] = [];
  try {
    for (let i = 0; i < options.commands; i++) {
      const { acks } = await slashCommands(slack, rig.botUrl, {
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
      overheads.push(arrived - ack.sentAt - options.upstreamLatencyMs);
    }
  } finally {
    clock.dispose();
    sim.setLatency(0);
  }
  return summarize(overheads);
}
