import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import type { Call, SlackStandin } from '../../src/slack-standin/index.js';
import { ask, clickReply, textOf } from './harness.js';
import type { BotProcess } from './process.js';
import { type RestartRig, useRestarts } from './restarts.js';

const NOTIFY = 'C0NOTIFY';
let sim: Simulator;
let slack: SlackStandin;
let rig: RestartRig;
useRestarts(
  {
    name: 'restart',
    sim: { settleMs: 200, provisionMs: 2500 },
    env: { VPS_POLL_SECONDS: '0.1', VPS_WATCH_SECONDS: '0.2', VPS_NOTIFY_CHANNEL: NOTIFY },
  },
  (started) => {
    rig = started;
    ({ sim, slack } = started);
  },
);
const startBot = () => rig.startBot();
const crash = (bot: BotProcess) => rig.crash(bot);

/** Resolves once the fleet has been listed `count` more times from now (the watch looks every 0.2 s). */
async function looks(count: number): Promise<void> {
  const from = sim.requests.length;
  const isList = (r: { method: string; path: string }) => r.method === 'GET' && r.path === '/api/v1/servers/';
  await sim.waitForRequest(
    (r) => isList(r) && sim.requests.slice(from).filter(isList).length >= count,
    10_000,
  );
}

const watchNotices = (channel: string): Call[] =>
  slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && /fleet watch/.test(textOf(c)));

// A restart after a kill -9 waits for the dead bot's state-directory lock to go stale (a few seconds).
describe('state survives a restart and a crash', { timeout: 45_000 }, () => {
  it('kill -9 mid-transition: after a restart the card still settles and the outcome is posted once', async () => {
    const first = await startBot();
    await clickReply(slack, await ask(slack, 'create web-09 plan=1 os=5 location=us-west'), 'vps.confirm');
    const card = await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('created *web-09*'));
    const ts = (card.response as { ts: string }).ts;
    // The tracker says so once the server it follows (and its card) are on disk.
    await first.waitForLine((line) => line.msg === 'following a server until it settles');
    await crash(first);
    expect(sim.servers().find((s) => s.name === 'web-09')?.status).toBe('provisioning');

    await startBot();
    const settled = await slack.waitFor(
      'chat.update',
      (c) => c.args.ts === ts && /Settled: :large_green_circle: active/.test(textOf(c)),
      { timeoutMs: 15_000 },
    );
    expect(settled.args.channel).toBe('C0GENERAL');
    const outcome = await slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts, {
      timeoutMs: 10_000,
    });
    expect(textOf(outcome)).toContain('*web-09* is now :large_green_circle: active');
    await looks(3);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts)).toHaveLength(1);
    // The bot's own create is told by its card, not a second time by the fleet watch.
    expect(watchNotices(NOTIFY).filter((c) => textOf(c).includes('web-09'))).toEqual([]);
  });

  it('a change made while the bot was down is announced once after it restarts: not zero, not two', async () => {
    const first = await startBot();
    await looks(2);
    await crash(first);
    sim.setStatus(12346, 'stopped');

    await startBot();
    const notice = await slack.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === NOTIFY && textOf(c).includes('db-server-01'),
      { timeoutMs: 15_000 },
    );
    expect(textOf(notice)).toContain('*db-server-01*: :large_green_circle: active → :red_circle: stopped');
    await looks(3);
    expect(watchNotices(NOTIFY)).toHaveLength(1);
  });

  it('a confirmation asked before a restart works once after it, and never twice', async () => {
    const first = await startBot();
    const prompt = await ask(slack, 'reboot web-server-01');
    await crash(first);

    await startBot();
    const clicked = await clickReply(slack, prompt, 'vps.confirm');
    expect(clicked.status).toBe(200);
    await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('rebooted *web-server-01*'), {
      timeoutMs: 10_000,
    });
    await clickReply(slack, prompt, 'vps.confirm');
    await slack.waitFor(
      'response_url',
      (c) => c.args.url === prompt.sent.responseUrl && /already answered/.test(textOf(c)),
    );
    await slack.redeliver(clicked);
    await looks(2);
    expect(sim.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      '/api/v1/servers/12345/reboot/',
    ]);
  });

  it('a confirmation used just before a crash is refused after it, never executed again', async () => {
    const first = await startBot();
    const prompt = await ask(slack, 'stop web-server-01');
    await clickReply(slack, prompt, 'vps.confirm');
    await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('stopped *web-server-01*'));
    await crash(first);

    await startBot();
    await clickReply(slack, prompt, 'vps.confirm');
    await slack.waitFor(
      'response_url',
      (c) => c.args.url === prompt.sent.responseUrl && /already answered/.test(textOf(c)),
    );
    expect(sim.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});
