import { slashCommands } from './load.js';
import { type Summary, summarize } from './percentiles.js';
import type { Rig } from './rig.js';

export interface HangOptions {
  commands: number;
  concurrency: number;
  /** How long the simulator holds every request. */
  hangMs: number;
  progress: (line: string) => void;
}

export interface HangFigures {
  acks: Summary;
  over3s: number;
  failed: number;
  /** Requests to VPS.org the bot had open when the load ended: the work that was waiting. */
  upstreamHeld: number;
  commands: number;
  concurrency: number;
  hangMs: number;
  wallMs: number;
}

/**
 * Figure 2: the same load while VPS.org hangs: every request to the simulator is held `hangMs`, so
 * nothing the bot does after its ack can finish. Leaves the simulator hanging: the caller ends the bot
 * and closes the simulator (which drops the held connections) when it is done with both.
 */
export async function ackWhileHanging(rig: Rig, options: HangOptions): Promise<HangFigures> {
  const { sim, slack } = rig;
  const server = sim.servers()[0];
  if (server === undefined) throw new Error('the simulator has no server to show');
  sim.setLatency(options.hangMs);
  const before = sim.requests.length;
  options.progress(
    `hang: ${options.commands} commands while VPS.org holds every request ${options.hangMs} ms`,
  );
  const load = await slashCommands(slack, rig.botUrl, {
    total: options.commands,
    concurrency: options.concurrency,
    text: () => `show ${server.id}`,
  });
  const upstreamHeld = sim.requests.slice(before).filter((request) => request.status === 0).length;
  return {
    acks: summarize(load.acks.map((ack) => ack.ms)),
    over3s: load.acks.filter((ack) => ack.ms > 3000).length,
    failed: load.errors.length + load.acks.filter((ack) => ack.status !== 200).length,
    upstreamHeld,
    commands: options.commands,
    concurrency: options.concurrency,
    hangMs: options.hangMs,
    wallMs: load.wallMs,
  };
}
