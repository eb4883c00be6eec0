import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { Simulator } from '../../src/simulator/index.js';
import { type Call, SlackStandin, textValue } from '../../src/slack-standin/index.js';
import { RedisStore } from '../../src/store/redis.js';
import { RedisServer } from '../redis/server.js';
import { ask, clickReply, textOf } from './harness.js';
import { type BotProcess, botEnv, startBotProcess } from './process.js';

const NOTIFY = 'C0NOTIFY';
const REDIS_PASSWORD = 'redis-pw-never-logged';
/** Renewed every 0.2 s: a dead holder is replaced within 1.2 s. */
const LEASE_SECONDS = '0.6';

let sim: Simulator;
let slack: SlackStandin;
let redis: RedisServer;
let home: string;
let running: BotProcess[] = [];

beforeEach(async () => {
  sim = new Simulator({ settleMs: 1000, provisionMs: 3000 });
  slack = new SlackStandin();
  [redis] = await Promise.all([
    RedisServer.start({ persistent: true, password: REDIS_PASSWORD }),
    sim.listen(),
    slack.listen(),
  ]);
  // The replicas' working directory: no developer .env is read, and no STATE_DIR is used.
  home = mkdtempSync(join(tmpdir(), 'vps-bot-replicas-'));
});

afterEach(async () => {
  for (const bot of running) bot.child.kill('SIGKILL');
  await Promise.all(running.map((bot) => bot.exited));
  const logs = running.map((bot) => JSON.stringify(bot.lines)).join('\n');
  running = [];
  await Promise.all([sim.close(), slack.close(), redis.close()]);
  rmSync(home, { recursive: true, force: true });
  expect(logs).not.toContain(REDIS_PASSWORD);
});

/** One replica as `npm start` runs it, on the shared Redis; resolves with its Slack URL once it listens. */
async function startReplica(): Promise<{ bot: BotProcess; url: string; port: number }> {
  const bot = startBotProcess(
    botEnv(sim, slack, {
      REDIS_URL: redis.url(),
      VPS_LEASE_SECONDS: LEASE_SECONDS,
      VPS_POLL_SECONDS: '0.1',
      VPS_WATCH_SECONDS: '0.2',
      VPS_NOTIFY_CHANNEL: NOTIFY,
      LOG_LEVEL: 'info',
    }),
    home,
  );
  running.push(bot);
  const port = await bot.port();
  return { bot, port, url: `http://127.0.0.1:${port}/slack/events` };
}

/** Two replicas behind the stand-in's round robin; the first holds the lease. */
async function startPair() {
  const a = await startReplica();
  await a.bot.waitForLine((line) => line.msg === holding);
  const b = await startReplica();
  slack.botUrls = [a.url, b.url];
  return { a, b };
}

const holding = 'holding the lease: this replica runs the tracker, the fleet watch and the scheduler';

const posts = () => sim.requests.filter((r) => r.method === 'POST').map((r) => r.path);

/** Resolves once the fleet has been listed `count` more times from now. */
async function looks(count: number): Promise<void> {
  const from = sim.requests.length;
  const isList = (r: { method: string; path: string }) => r.method === 'GET' && r.path === '/api/v1/servers/';
  await sim.waitForRequest(
    (r) => isList(r) && sim.requests.slice(from).filter(isList).length >= count,
    10_000,
  );
}

const notices = (): Call[] =>
  slack.callsTo('chat.postMessage').filter((c) => c.args.channel === NOTIFY && /fleet watch/.test(textOf(c)));

async function health(port: number): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
}

async function untilHealth(port: number, status: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await health(port)) !== status) {
    if (Date.now() > deadline) throw new Error(`/healthz never answered ${status}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('two replicas on one Redis', () => {
  it('a double click, one click to each replica, reaches VPS.org once; a retry on the other replica does nothing', async () => {
    const { a, b } = await startPair();
    const prompt = await ask(slack, 'reboot web-server-01'); // to a
    const clicks = await Promise.all([
      clickReply(slack, prompt, 'vps.confirm'), // to b
      clickReply(slack, prompt, 'vps.confirm'), // to a
    ]);
    for (const click of clicks) expect(click.status).toBe(200);
    await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('rebooted *web-server-01*'));
    await slack.waitFor(
      'response_url',
      (c) => c.args.url === prompt.sent.responseUrl && /already answered/.test(textOf(c)),
    );
    expect(posts()).toEqual(['/api/v1/servers/12345/reboot/']);

    // Two starts of one server at once, one to each replica: one reaches VPS.org, the other is refused.
    const [started, second] = await Promise.all([
      slack.command({ text: 'start staging-01' }), // to b
      slack.command({ text: 'start staging-01' }), // to a
    ]);
    await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('started *staging-01*'));
    const refused = await slack.waitFor(
      'response_url',
      (c) => c.args.url === second.responseUrl || c.args.url === started.responseUrl,
    );
    expect(textOf(refused)).toMatch(
      /staging-01\* is busy: starting|is starting, not stopped|is already running/,
    );
    // While it starts, a change to it on either replica is refused as busy.
    for (let i = 0; i < 2; i++) {
      const busy = await ask(slack, 'reboot staging-01');
      expect(busy.text).toMatch(/staging-01\* is busy: starting .* started by <@U0ALICE>/);
    }
    // Slack retries the command a got; the load balancer sends the retry to b, which drops it.
    const retried = await slack.redeliver(second); // to b
    expect(retried.status).toBe(200);
    const ignored = await b.bot.waitForLine((line) => line.msg === 'repeated delivery ignored');
    expect(ignored.retry).toBe(1);
    expect(a.bot.lines.some((line) => line.msg === 'repeated delivery ignored')).toBe(false);
    await looks(3);
    expect(posts()).toEqual(['/api/v1/servers/12345/reboot/', '/api/v1/servers/12347/start/']);
    // The fleet watch (on the lease holder) told none of the changes either replica made.
    await slack.waitFor('chat.postMessage', (c) => /staging-01\* is now/.test(textOf(c)), {
      timeoutMs: 10_000,
    });
    await looks(3);
    expect(notices()).toEqual([]);
    // One audit trail: the history is the same from either replica.
    const fromA = await ask(slack, 'history web-server-01');
    const fromB = await ask(slack, 'history web-server-01');
    expect(fromB.text).toBe(fromA.text);
    expect(fromA.text).toMatch(/already_used|already answered|already used/i);
  });

  it('a schedule confirmed on one replica fires once, on the lease holder, with both replicas running', async () => {
    const { a, b } = await startPair();
    const prompt = await ask(slack, 'reboot web-server-01 in 2s'); // to a
    await clickReply(slack, prompt, 'vps.confirm'); // to b, which stores the schedule
    await slack.waitFor(
      'response_url',
      (c) => c.args.url === prompt.sent.responseUrl && /Scheduled: reboot/.test(textOf(c)),
    );
    expect(posts()).toEqual([]);
    const ran = await a.bot.waitForLine((line) => line.msg === 'running a scheduled change', 15_000);
    expect(ran.server_id).toBe(12345);
    await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('rebooted *web-server-01*'), {
      timeoutMs: 10_000,
    });
    // Done in Redis, nothing left pending: no scheduler, on either replica, can claim it again.
    const store = await RedisStore.open(redis.url(), createLogger({ level: 'error', secrets: [] }));
    try {
      expect(await store.schedulesIn(['pending', 'running'])).toEqual([]);
      expect(await store.schedulesIn(['done'])).toMatchObject([{ serverId: 12345, outcome: 'ok' }]);
    } finally {
      await store.close();
    }
    await looks(3);
    expect(posts()).toEqual(['/api/v1/servers/12345/reboot/']);
    expect(a.bot.lines.filter((line) => line.msg === 'running a scheduled change')).toHaveLength(1);
    expect(b.bot.lines.filter((line) => line.msg === 'running a scheduled change')).toHaveLength(0);
  });

  it('the lease holder killed mid-transition: the other finishes the card, posts the outcome once, and tells a change made meanwhile once', async () => {
    const { a, b } = await startPair();
    await looks(3); // the holder has a last look at the fleet to compare with
    await clickReply(slack, await ask(slack, 'create web-09 plan=1 os=5 location=us-west'), 'vps.confirm');
    const card = await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('created *web-09*'));
    const ts = (card.response as { ts: string }).ts;
    // b made the change and stored it as followed; the holder polls it from there.
    await b.bot.waitForLine((line) => line.msg === 'following a server until it settles');
    await looks(2);
    a.bot.child.kill('SIGKILL');
    expect((await a.bot.exited).signal).toBe('SIGKILL');
    sim.setStatus(12346, 'stopped'); // behind the bots' backs, while nobody holds the lease

    await b.bot.waitForLine((line) => line.msg === holding, 10_000);
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
    const notice = await slack.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === NOTIFY && textOf(c).includes('db-server-01'),
      { timeoutMs: 10_000 },
    );
    expect(textOf(notice)).toContain('*db-server-01*: :large_green_circle: active → :red_circle: stopped');
    await looks(5);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts)).toHaveLength(1);
    expect(notices().map(textOf)).toEqual([textOf(notice)]);
    expect(posts()).toEqual(['/api/v1/servers/']);
  });

  it('Redis stopped and started mid-run: clear answers meanwhile, lookups still work, then normal service, nothing done twice', async () => {
    const { a, b } = await startPair();
    const prompt = await ask(slack, 'reboot web-server-01');
    await slack.command({ text: 'delete db-server-01' });
    const update = await slack.waitFor('views.update', (c) =>
      /Type db-server-01 to delete it/.test(textOf(c)),
    );
    const deleteForm = slack.view(String(update.args.view_id));
    if (!deleteForm) throw new Error('no delete form');
    await redis.stop();
    await Promise.all([untilHealth(a.port, 503), untilHealth(b.port, 503)]);

    for (let i = 0; i < 2; i++) {
      const refused = await ask(slack, 'stop db-server-01');
      expect(refused.text).toContain('state store is unavailable; nothing was changed');
    }
    const refusedClick = await clickReply(slack, prompt, 'vps.confirm');
    expect(refusedClick.status).toBe(200);
    await slack.waitFor(
      'response_url',
      (c) => c.args.url === prompt.sent.responseUrl && /state store is unavailable/.test(textOf(c)),
    );
    const submitted = await slack.submitView({
      view: deleteForm,
      values: { confirm_name: { value: textValue('db-server-01') } },
    });
    expect(submitted.json).toMatchObject({ response_action: 'update' });
    expect(textOf({ args: submitted.json as Record<string, unknown> })).toContain(
      'state store is unavailable; nothing was changed',
    );
    const shown = await ask(slack, 'show web-server-01');
    expect(shown.text).toContain('web-server-01');
    expect(shown.text).not.toContain('unavailable');
    expect(posts()).toEqual([]);

    await redis.start();
    await Promise.all([untilHealth(a.port, 200), untilHealth(b.port, 200)]);
    const clicks = await Promise.all([
      clickReply(slack, prompt, 'vps.confirm'),
      clickReply(slack, prompt, 'vps.confirm'),
    ]);
    for (const click of clicks) expect(click.status).toBe(200);
    await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('rebooted *web-server-01*'));
    await slack.waitFor(
      'response_url',
      (c) => c.args.url === prompt.sent.responseUrl && /already answered/.test(textOf(c)),
    );
    await slack.command({ text: 'start staging-01' });
    await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('started *staging-01*'));
    await looks(3);
    expect(posts()).toEqual(['/api/v1/servers/12345/reboot/', '/api/v1/servers/12347/start/']);
    for (const bot of [a.bot, b.bot]) {
      expect(bot.lines.some((line) => line.msg === 'unhandled rejection')).toBe(false);
      expect(bot.child.exitCode).toBeNull();
    }
  });

  it('a replica started while Redis is down starts, reports unhealthy, and recovers', async () => {
    await redis.stop();
    const { bot, port, url } = await startReplica();
    slack.botUrl = url;
    expect(await health(port)).toBe(503);
    const refused = await ask(slack, 'start staging-01');
    expect(refused.text).toContain('state store is unavailable; nothing was changed');

    await redis.start();
    await untilHealth(port, 200);
    await bot.waitForLine((line) => line.msg === holding);
    await slack.command({ text: 'start staging-01' });
    await slack.waitFor('chat.postMessage', (c) => textOf(c).includes('started *staging-01*'));
    expect(posts()).toEqual(['/api/v1/servers/12347/start/']);
  });
});
