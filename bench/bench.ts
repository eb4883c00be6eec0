import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { type AckFigures, ackLatency } from './ack.js';
import { ackWhileHanging, type HangFigures } from './hang.js';
import { type OverheadFigures, overheadAlone } from './overhead.js';
import { ROOT } from './processes.js';
import { type ReplicaFigures, replicaFigures } from './replicas.js';
import { type Figures, type Row, rows } from './report.js';
import { startRig } from './rig.js';
import { type ListScale, listScale } from './scale.js';
import { type StormFigures, storms } from './storm.js';
import { type TrackerFigures, trackerFigures } from './tracker.js';

export interface BenchOptions {
  /** Figure 1: measured `/vps show` commands per target, their concurrency, rounds per target, warm-up. */
  commands: number;
  concurrency: number;
  rounds: number;
  warmup: number;
  /** Figure 1 and 3: the simulator's delay before each answer. */
  upstreamLatencyMs: number;
  /** Figure 3: commands sent one at a time (figure 1's bot rounds give it under load). */
  aloneCommands: number;
  /** Figure 2: commands sent while the simulator holds every request this long. */
  hangCommands: number;
  hangMs: number;
  /** Figure 4: servers started at once, how long VPS.org takes to settle them, the bot's poll interval. */
  tracked: number;
  settleMs: number;
  pollSeconds: number;
  /** Figure 5: list sizes, and timed builds and `/vps list` commands per size. */
  listSizes: number[];
  listRuns: number;
  /** Figure 8: `/vps show` commands per setup (one replica, two), rounds, warm-up; servers started through the pair. */
  replicaCommands: number;
  replicaRounds: number;
  replicaWarmup: number;
  replicaTracked: number;
  /** Figure 7: lookups per storm (at `concurrency`), servers in the mixed storm, and the rate-limited VPS.org. */
  stormCommands: number;
  stormServers: number;
  limitEvery: number;
  retryAfterSeconds: number;
  /** Progress lines while it runs. */
  progress?: (line: string) => void;
}

/** What `npm run bench` measures: the numbers of issue 5. */
export const FULL: BenchOptions = {
  commands: 2000,
  concurrency: 50,
  rounds: 10,
  warmup: 500,
  upstreamLatencyMs: 300,
  aloneCommands: 100,
  hangCommands: 2000,
  hangMs: 20_000,
  tracked: 200,
  settleMs: 5000,
  pollSeconds: 0.5,
  listSizes: [1000, 10_000],
  listRuns: 5,
  replicaCommands: 1000,
  replicaRounds: 4,
  replicaWarmup: 200,
  replicaTracked: 100,
  stormCommands: 2000,
  stormServers: 10,
  limitEvery: 5,
  retryAfterSeconds: 1,
};

export interface BenchResults {
  startedAt: string;
  wallMs: number;
  machine: {
    node: string;
    platform: string;
    arch: string;
    cpus: number;
    cpu: string;
    /** The 1-minute load average when the run started: other work on the machine skews every figure. */
    loadAverage: number;
  };
  bolt: string;
  options: Omit<BenchOptions, 'progress'>;
  ack: AckFigures;
  /** Figure 3, one command at a time. */
  overheadAlone: OverheadFigures;
  hang: HangFigures;
  tracker: TrackerFigures;
  scale: ListScale[];
  storms: StormFigures[];
  memory: Figures['memory'];
  replicas: ReplicaFigures;
  rows: Row[];
}

function boltVersion(): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules/@slack/bolt/package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}

/**
 * One run of every figure against one bot process: acks (1, 3), storms (7), the tracker (4), lists (5),
 * then acks while VPS.org hangs (2) last, since it leaves work stuck in the bot; the bot's peak RSS (6)
 * covers it all.
 */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const { progress = () => {}, ...settings } = options;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const [loadAverage = Number.NaN] = loadavg();
  // First, on its own: it has processes of its own, and the main run leaves work stuck in its bot.
  const replicas = await replicaFigures({
    commands: options.replicaCommands,
    concurrency: options.concurrency,
    rounds: options.replicaRounds,
    warmup: options.replicaWarmup,
    upstreamLatencyMs: options.upstreamLatencyMs,
    tracked: options.replicaTracked,
    settleMs: options.settleMs,
    pollSeconds: options.pollSeconds,
    replyTimeoutMs: 60_000,
    progress,
  });
  progress('starting the simulator, the Slack stand-in, the bot and a bare Bolt app');
  const rig = await startRig({ settleMs: options.settleMs, pollSeconds: options.pollSeconds });
  try {
    const replyTimeoutMs = 60_000;
    // The bot's high-water mark after each part, to tell which part set the peak.
    const peaks: Record<string, number> = {};
    const mark = (part: string) => {
      rig.botMemory.sample();
      peaks[part] = rig.botMemory.peakMb;
    };
    mark('start');
    const ack = await ackLatency(rig, {
      commands: options.commands,
      concurrency: options.concurrency,
      rounds: options.rounds,
      warmup: options.warmup,
      upstreamLatencyMs: options.upstreamLatencyMs,
      replyTimeoutMs,
      progress,
    });
    const overhead = await overheadAlone(rig, {
      commands: options.aloneCommands,
      upstreamLatencyMs: options.upstreamLatencyMs,
      replyTimeoutMs,
      progress,
    });
    mark('ack');
    const storm = await storms(rig, {
      commands: options.stormCommands,
      concurrency: options.concurrency,
      servers: options.stormServers,
      upstreamLatencyMs: options.upstreamLatencyMs,
      limitEvery: options.limitEvery,
      retryAfterSeconds: options.retryAfterSeconds,
      replyTimeoutMs,
      progress,
    });
    mark('storms');
    const tracker = await trackerFigures(rig, {
      servers: options.tracked,
      concurrency: options.concurrency,
      pollMs: options.pollSeconds * 1000,
      timeoutMs: options.settleMs + 60_000,
      progress,
    });
    mark('tracker');
    const scale = await listScale(rig, {
      sizes: options.listSizes,
      runs: options.listRuns,
      replyTimeoutMs,
      progress,
    });
    mark('scale');
    const hang = await ackWhileHanging(rig, {
      commands: options.hangCommands,
      concurrency: options.concurrency,
      hangMs: options.hangMs,
      progress,
    });
    mark('hang');
    const memory = {
      botPeakRssMb: rig.botMemory.stop(),
      botStartRssMb: rig.botStartRssMb,
      bareBoltPeakRssMb: rig.bareMemory.stop(),
      peakAfter: peaks,
    };
    const bolt = boltVersion();
    const cpu = cpus();
    return {
      startedAt,
      wallMs: performance.now() - started,
      machine: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: cpu.length,
        cpu: cpu[0]?.model.trim() ?? 'unknown',
        loadAverage,
      },
      bolt,
      options: settings,
      ack,
      overheadAlone: overhead,
      hang,
      tracker,
      scale,
      storms: storm,
      memory,
      replicas,
      rows: rows(
        { ack, overheadAlone: overhead, hang, tracker, scale, storms: storm, memory, replicas },
        bolt,
      ),
    };
  } finally {
    await rig.stop();
  }
}
