import type { AckFigures } from './ack.js';
import type { HangFigures } from './hang.js';
import type { OverheadFigures } from './overhead.js';
import type { Summary } from './percentiles.js';
import type { ReplicaFigures, SetupFigures } from './replicas.js';
import type { ListScale } from './scale.js';
import type { StormFigures } from './storm.js';
import type { TrackerFigures } from './tracker.js';

export interface Figures {
  ack: AckFigures;
  overheadAlone: OverheadFigures;
  hang: HangFigures;
  tracker: TrackerFigures;
  scale: ListScale[];
  storms: StormFigures[];
  memory: {
    botPeakRssMb: number;
    botStartRssMb: number;
    bareBoltPeakRssMb: number;
    /** The bot's peak so far after each part of the run, in order. */
    peakAfter: Record<string, number>;
  };
  replicas: ReplicaFigures;
}

/** One line of the table: a figure, what it came to, its target and whether it was met. */
export interface Row {
  figure: number;
  name: string;
  measured: string;
  target: string;
  /** undefined: a figure with no target, reported as it is. */
  pass: boolean | undefined;
}

export const TARGETS = {
  ackMs: 3000,
  p99Ratio: 1.2,
  requestsPerPoll: 1,
  peakRssMb: 150,
  /** Requests to VPS.org per question (a server, or the list) per latency window, in a storm. */
  stormPerWindow: 1,
  /** A storm's reply p50, in VPS.org latencies. */
  stormP50Latencies: 2,
} as const;

const ms = (value: number) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
const ratio = (value: number) => value.toFixed(2);
const percent = (value: number) => `${(100 * value).toFixed(value < 0.1 ? 2 : 1)} %`;

function percentiles(s: Summary, which: readonly ('p50' | 'p95' | 'p99' | 'max')[], format = ms): string {
  return which.map((key) => `${key} ${format(s[key])}`).join(' · ');
}

export function rows(f: Figures, bolt: string): Row[] {
  const { ack, hang, tracker } = f;
  const all = ['p50', 'p95', 'p99', 'max'] as const;
  const failures = (over3s: number, failed: number) =>
    over3s + failed === 0 ? '' : ` (${over3s} over 3 s, ${failed} failed)`;
  const out: Row[] = [
    {
      figure: 1,
      name: `ack, the bot (ms, ${ack.bot.acks.count} cmds)`,
      measured: percentiles(ack.bot.acks, all) + failures(ack.bot.over3s, ack.bot.failed),
      target: `every ack < ${TARGETS.ackMs} ms`,
      pass: ack.bot.over3s === 0 && ack.bot.failed === 0 && ack.bot.acks.count === ack.commands,
    },
    {
      figure: 1,
      name: `ack, bare Bolt ${bolt} (ms, ${ack.bare.acks.count} cmds)`,
      measured: percentiles(ack.bare.acks, all) + failures(ack.bare.over3s, ack.bare.failed),
      target: 'baseline',
      pass: undefined,
    },
    {
      figure: 1,
      name: 'ack ratio bot / bare',
      measured: all.map((key) => `${key} ${ratio(ack.ratio[key])}`).join(' · '),
      target: `p99 ≤ ${TARGETS.p99Ratio}`,
      pass: ack.ratio.p99 <= TARGETS.p99Ratio,
    },
    {
      figure: 2,
      name: `ack while VPS.org hangs ${hang.hangMs / 1000} s (ms)`,
      measured:
        percentiles(hang.acks, all) +
        failures(hang.over3s, hang.failed) +
        `; ${hang.upstreamHeld} requests held open by VPS.org`,
      target: `every ack < ${TARGETS.ackMs} ms`,
      pass: hang.over3s === 0 && hang.failed === 0 && hang.acks.count === hang.commands,
    },
    {
      figure: 3,
      name: 'overhead end to end (ms)',
      measured:
        `under figure 1's load ${percentiles(ack.overhead, ['p50', 'p99'])}; ` +
        `one at a time ${percentiles(f.overheadAlone.bot, ['p50', 'p99'])}, ` +
        `the floor app beside it ${percentiles(f.overheadAlone.floor, ['p50', 'p99'])}, ` +
        `the bot's own (bot − floor, command by command) p50 ${f.overheadAlone.own.p50.toFixed(2)}` +
        (ack.missingReplies + ack.wrongReplies > 0
          ? ` (${ack.missingReplies} replies missing, ${ack.wrongReplies} wrong)`
          : ''),
      target: '–',
      pass: ack.missingReplies === 0 && ack.wrongReplies === 0 ? undefined : false,
    },
    {
      figure: 4,
      name: `tracker: requests to VPS.org per poll (${tracker.servers} servers)`,
      measured: `${ratio(tracker.perPoll)} (max ${tracker.maxPerPoll}, ${tracker.polls} polls)`,
      target: String(TARGETS.requestsPerPoll),
      pass: tracker.maxPerPoll === TARGETS.requestsPerPoll && tracker.polls > 0,
    },
    {
      figure: 4,
      name: 'tracker: last server settled → its card (ms)',
      measured: `${ms(tracker.lastSettleToCardMs)} (worst card ${ms(tracker.worstSettleToCardMs)}, polls every ${tracker.pollMs} ms)`,
      target: '–',
      pass: tracker.cardsSettled === tracker.servers ? undefined : false,
    },
  ];
  for (const list of f.scale) {
    out.push({
      figure: 5,
      name: `/vps list, ${list.servers} servers`,
      measured:
        `${list.pages} pages, build p50 ${ms(list.build.p50)} ms, ` +
        `${list.pagesOverLimits === 0 ? 'all within limits' : `${list.pagesOverLimits} over limits`}; ` +
        `end to end p50 ${ms(list.endToEnd.p50)} ms${list.badReplies > 0 ? ` (${list.badReplies} bad replies)` : ''}`,
      target: "every page within Slack's limits",
      pass: list.pagesOverLimits === 0 && list.badReplies === 0 && list.pages > 0,
    });
  }
  for (const storm of f.storms) out.push(stormRow(storm));
  out.push({
    figure: 6,
    name: 'peak RSS of the bot process (MB)',
    measured:
      `${f.memory.botPeakRssMb.toFixed(1)} (${f.memory.botStartRssMb.toFixed(1)} once up; ` +
      `bare Bolt peak ${f.memory.bareBoltPeakRssMb.toFixed(1)})`,
    target: `< ${TARGETS.peakRssMb} MB`,
    pass: f.memory.botPeakRssMb < TARGETS.peakRssMb,
  });
  out.push(...replicaRows(f.replicas));
  return out;
}

function replicaRows(r: ReplicaFigures): Row[] {
  const setup = (s: SetupFigures): Row => ({
    figure: 8,
    name: `${s.replicas === 1 ? 'one replica' : 'two replicas'} on Redis, behind a round-robin proxy (ms, ${s.acks.count} cmds)`,
    measured:
      `ack ${percentiles(s.acks, ['p50', 'p99'])}; ${s.perSecond.toFixed(0)} commands/s` +
      (s.over3s + s.failed + s.missingReplies > 0
        ? ` (${s.over3s} over 3 s, ${s.failed} failed, ${s.missingReplies} replies missing)`
        : ''),
    target: `every ack < ${TARGETS.ackMs} ms`,
    pass: s.over3s === 0 && s.failed === 0 && s.missingReplies === 0 && s.acks.count > 0,
  });
  const { tracker } = r;
  return [
    setup(r.one),
    setup(r.two),
    {
      figure: 8,
      name: `two replicas: requests to VPS.org per poll, whole group (${tracker.servers} servers)`,
      measured: `${ratio(tracker.perPoll)} (max ${tracker.maxPerPoll}, ${tracker.polls} polls; changes made by each replica: ${r.changesPerReplica.join(' + ')})`,
      target: String(TARGETS.requestsPerPoll),
      pass:
        tracker.maxPerPoll === TARGETS.requestsPerPoll &&
        tracker.polls > 0 &&
        tracker.cardsSettled === tracker.servers,
    },
    {
      figure: 8,
      name: 'two replicas: lease holder killed → the other holds the lease (ms)',
      measured: `${ms(r.handover.tookMs)} (VPS_LEASE_SECONDS ${r.handover.leaseMs / 1000}, renewed every ${ms(r.handover.leaseMs / 3)} ms)`,
      target: `< 2 lease periods (${ms(2 * r.handover.leaseMs)} ms)`,
      pass: r.handover.tookMs < 2 * r.handover.leaseMs,
    },
  ];
}

function stormRow(storm: StormFigures): Row {
  const { latencyMs } = storm;
  const replies = `reply ${percentiles(storm.replies, ['p50', 'p99'])} ms`;
  const told = storm.toldRateLimited > 0 ? `, ${storm.toldRateLimited} told VPS.org is rate limiting` : '';
  const unanswered = storm.wrongReplies + storm.missingReplies;
  const answers = `${storm.answered} answered${told}${unanswered > 0 ? `, ${unanswered} not` : ''}`;
  const limited = storm.answered429 > 0 ? ` (${storm.answered429} answered 429)` : '';
  const everyOne = unanswered === 0 && storm.answered + storm.toldRateLimited === storm.commands;
  const fewRequests = storm.perQuestionWindow <= TARGETS.stormPerWindow;
  const maxP50 = TARGETS.stormP50Latencies * latencyMs;
  return {
    figure: 7,
    name: `storm${storm.rateLimited ? `, 429 to every ${storm.limitEvery}th request` : ''}: ${storm.name}`,
    measured:
      `${storm.requests} requests to VPS.org${limited}, ${percent(storm.requests / storm.naive)} of the naive ` +
      `${storm.naive}; ${ratio(storm.perQuestionWindow)} per question per ${latencyMs} ms · ${replies} · ${answers}`,
    target: storm.rateLimited
      ? `≤ ${TARGETS.stormPerWindow} per question per window; every command answered`
      : `≤ ${TARGETS.stormPerWindow} per question per window; p50 ≤ ${maxP50} ms`,
    pass: storm.rateLimited
      ? fewRequests && everyOne
      : fewRequests && everyOne && storm.replies.p50 <= maxP50,
  };
}

/** The rows as a Markdown table, readable in a terminal and pasted as it is into the README. */
export function table(list: readonly Row[]): string {
  const cells = list.map((row) => [
    String(row.figure),
    row.name,
    row.measured,
    row.target,
    row.pass === undefined ? '' : row.pass ? 'PASS' : 'FAIL',
  ]);
  const header = ['#', 'figure', 'measured', 'target', ''];
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => `| ${c.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
