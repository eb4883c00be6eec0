import { expect, it } from 'vitest';
import { runBench } from '../../bench/bench.js';
import { summarize } from '../../bench/percentiles.js';
import { table } from '../../bench/report.js';
import { pageCount } from '../../src/slack/blocks/list.js';

it('percentiles are nearest-rank, from every sample', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  expect(summarize(samples)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  expect(summarize([7])).toEqual({ count: 1, p50: 7, p95: 7, p99: 7, max: 7 });
  expect(() => summarize([1, Number.NaN])).toThrow();
});

// The bench with tiny numbers, so that it never rots: every figure is produced and every list page is
// within Slack's limits. No speed is asserted: this machine's speed is not the code's.
it('npm run bench, in small: produces every figure', { timeout: 90_000 }, async () => {
  const results = await runBench({
    commands: 20,
    concurrency: 5,
    rounds: 2,
    warmup: 5,
    upstreamLatencyMs: 300,
    aloneCommands: 3,
    hangCommands: 20,
    hangMs: 20_000,
    tracked: 10,
    settleMs: 3000,
    pollSeconds: 0.2,
    listSizes: [100, 1000],
    listRuns: 1,
    replicaCommands: 20,
    replicaRounds: 2,
    replicaWarmup: 5,
    replicaTracked: 10,
    stormCommands: 40,
    stormServers: 3,
    limitEvery: 5,
    retryAfterSeconds: 1,
  });
  const { ack, hang, tracker, scale, storms, memory, replicas } = results;

  // 1 and 3: every command acked and answered.
  for (const side of [ack.bot, ack.bare]) {
    expect(side.acks.count).toBe(20);
    expect(side.failed).toBe(0);
    for (const value of Object.values(side.acks)) expect(Number.isFinite(value)).toBe(true);
  }
  for (const value of Object.values(ack.ratio)) expect(Number.isFinite(value)).toBe(true);
  expect(ack.missingReplies).toBe(0);
  expect(ack.wrongReplies).toBe(0);
  expect(ack.overhead.count).toBe(20);
  expect(Number.isFinite(ack.overhead.p99)).toBe(true);
  expect(results.overheadAlone.bot.count).toBe(3);
  expect(results.overheadAlone.floor.count).toBe(3);
  expect(Number.isFinite(results.overheadAlone.bot.p99)).toBe(true);
  expect(Number.isFinite(results.overheadAlone.floor.p99)).toBe(true);

  // 2: acked while VPS.org hangs.
  expect(hang.acks.count).toBe(20);
  expect(hang.failed).toBe(0);
  expect(Number.isFinite(hang.acks.p99)).toBe(true);

  // 4: polls seen, and every card showed its server settled.
  expect(tracker.cardsSettled).toBe(10);
  expect(tracker.polls).toBeGreaterThan(0);
  for (const value of [tracker.perPoll, tracker.maxPerPoll, tracker.lastSettleToCardMs])
    expect(Number.isFinite(value)).toBe(true);

  // 5: every page of both lists within Slack's limits, and /vps list answered through the bot.
  expect(scale.map((list) => list.servers)).toEqual([100, 1000]);
  for (const list of scale) {
    expect(list.problems).toEqual([]);
    expect(list.pagesOverLimits).toBe(0);
    expect(list.pages).toBe(pageCount(list.servers));
    expect(list.badReplies).toBe(0);
    expect(Number.isFinite(list.build.p50)).toBe(true);
    expect(Number.isFinite(list.endToEnd.p50)).toBe(true);
  }

  // 7: each storm, plain and rate limited, counted what reached VPS.org and answered every command.
  expect(storms.map((storm) => [storm.rateLimited, storm.questions])).toEqual([
    [false, 1],
    [false, 4],
    [true, 1],
    [true, 4],
  ]);
  for (const storm of storms) {
    expect(storm.requests).toBeGreaterThan(0);
    expect(storm.naive).toBeGreaterThanOrEqual(40);
    expect(storm.replies.count).toBe(40);
    expect(storm.answered + storm.toldRateLimited).toBe(40);
    expect(storm.wrongReplies + storm.missingReplies).toBe(0);
    for (const value of [storm.perQuestionWindow, storm.replies.p50, storm.replies.p99])
      expect(Number.isFinite(value)).toBe(true);
  }

  // 6: the bot's peak RSS was read.
  expect(memory.botPeakRssMb).toBeGreaterThan(0);

  // 8: one replica and two, every command acked and answered; the pair's tracker polled, both replicas made changes.
  for (const side of [replicas.one, replicas.two]) {
    expect(side.acks.count).toBe(20);
    expect(side.failed).toBe(0);
    expect(side.missingReplies).toBe(0);
    expect(Number.isFinite(side.perSecond)).toBe(true);
  }
  expect(replicas.tracker.cardsSettled).toBe(10);
  expect(replicas.tracker.polls).toBeGreaterThan(0);
  expect(replicas.changesPerReplica).toEqual([5, 5]);
  expect(Number.isFinite(replicas.handover.tookMs)).toBe(true);

  // One table with every figure.
  const printed = table(results.rows);
  for (const figure of [1, 2, 3, 4, 5, 6, 7, 8]) expect(printed).toMatch(new RegExp(`^\\| ${figure} `, 'm'));
  expect(printed).not.toMatch(/NaN|Infinity/);
});
