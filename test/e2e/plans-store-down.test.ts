import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Call } from '../../src/slack-standin/index.js';
import { RedisStore } from '../../src/store/redis.js';
import { RedisServer } from '../redis/server.js';
import {
  type Asked,
  ask,
  clickPosted,
  clickReply,
  type Harness,
  replyTo,
  startHarness,
  textOf,
} from './harness.js';

// Approvals and schedules on the Redis store, with Redis going away: the same clear sentence as every
// other change, nothing sent to VPS.org meanwhile, and normal service once Redis is back.

const UNAVAILABLE = 'state store is unavailable; nothing was changed';
const MINUTE = 60_000;

let redis: RedisServer;
let h: Harness;
beforeAll(async () => {
  redis = await RedisServer.start({ persistent: true });
  const logger = createLogger({ level: 'error', secrets: [], write: () => undefined });
  const store = await RedisStore.open(redis.url(), logger);
  h = await startHarness({
    store,
    // The fleet watch looks once at start, then not again during the test.
    env: { VPS_OPERATORS: 'U0ALICE,U0BOB', VPS_APPROVAL_REQUIRED: 'stop', VPS_WATCH_SECONDS: '3600' },
  });
});
afterAll(async () => {
  await h?.stop();
  await redis?.close();
});

const sent = () => h.sim.requests.filter((r) => r.method !== 'GET');

async function health(): Promise<{ status: number; body: unknown }> {
  const answer = await fetch(new URL('/healthz', h.slack.botUrl));
  return { status: answer.status, body: await answer.json() };
}

async function untilHealth(status: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await health()).status !== status) {
    if (Date.now() > deadline) throw new Error(`/healthz never answered ${status}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Clicks Approve or Reject on the approval request as it was posted (someone may still see it). */
const clickRequest = (request: Call, actionId: 'vps.approve' | 'vps.reject', user: string) =>
  clickPosted(h, request, actionId, user);

/** The nth reply to a click, as text. */
const answerTo = async (clicked: { responseUrl?: string }, index = 0) =>
  textOf(await replyTo(h.slack, clicked.responseUrl as string, index));

describe('approvals and schedules on Redis, while Redis is down', () => {
  it('answer the clear sentence and send nothing to VPS.org; once Redis is back, each happens once', async () => {
    // Before: an approval request waiting for a second operator, and a reboot scheduled in ten minutes.
    const stop = await ask(h.slack, 'stop web-server-01');
    await clickReply(h.slack, stop, 'vps.confirm');
    const request = await h.slack.waitFor('chat.postMessage', (c) =>
      /asks for a second operator/.test(textOf(c)),
    );
    const reboot = await ask(h.slack, 'reboot db-server-01 in 10m');
    await clickReply(h.slack, reboot, 'vps.confirm');
    expect(textOf(await replyTo(h.slack, reboot.sent.responseUrl, 1))).toContain('Scheduled: reboot');
    const list: Asked = await ask(h.slack, 'scheduled');
    expect(list.text).toContain('db-server-01');
    await h.idle();
    expect(sent()).toEqual([]);

    await redis.stop();
    await untilHealth(503);
    const asked = h.sim.requests.length;
    expect((await health()).body).toEqual({
      ok: false,
      failing: { state_store: 'the state store cannot be reached' },
    });

    // Asking for a scheduled change, approving, rejecting, cancelling, listing: one sentence each.
    expect((await ask(h.slack, 'start staging-01 in 30m')).text).toContain(UNAVAILABLE);
    expect((await ask(h.slack, 'stop web-server-01 for 2h')).text).toContain(UNAVAILABLE);
    expect(await answerTo(await clickRequest(request, 'vps.approve', 'U0BOB'))).toContain(UNAVAILABLE);
    expect(await answerTo(await clickRequest(request, 'vps.reject', 'U0BOB'))).toContain(UNAVAILABLE);
    // The list's response_url has the list itself as its first reply: the answer to Cancel is the next.
    const cancel = await clickReply(h.slack, list, 'vps.schedule.cancel', 'U0BOB');
    expect(await answerTo(cancel, 1)).toContain(UNAVAILABLE);
    expect((await ask(h.slack, 'scheduled')).text).toContain('state store is unavailable');
    // The reboot comes due meanwhile: the scheduler cannot claim it, so nothing is sent.
    h.advance(10 * MINUTE);
    await expect(h.bot.scheduler.tick()).rejects.toThrow('the state store is unavailable');
    await h.idle();
    // Refused before VPS.org is asked anything, not even a lookup.
    expect(h.sim.requests.slice(asked)).toEqual([]);

    await redis.start();
    await untilHealth(200);
    // The reboot, still within its grace, runs once (the scheduler looks every 20 ms here); the
    // approval is decided once.
    await h.slack.waitFor('chat.postMessage', (c) => /rebooted \*db-server-01\*/.test(textOf(c)));
    const approved = await clickRequest(request, 'vps.approve', 'U0BOB');
    expect(await answerTo(approved)).toContain('Approved');
    const again = await clickRequest(request, 'vps.approve', 'U0BOB');
    expect(await answerTo(again)).toContain('already approved');
    await h.bot.scheduler.tick();
    await h.quiet();
    expect(sent().map((r) => r.path)).toEqual([
      '/api/v1/servers/12346/reboot/',
      '/api/v1/servers/12345/stop/',
    ]);
    expect(await h.store.schedulesIn(['pending', 'running'])).toEqual([]);
  });
});
