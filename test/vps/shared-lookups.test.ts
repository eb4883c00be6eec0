import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { lookupServer } from '../../src/service/lookup.js';
import { Tracker } from '../../src/service/tracker.js';
import { Simulator } from '../../src/simulator/index.js';
import { MemoryStore } from '../../src/store/memory.js';
import { VpsClient, type VpsClientOptions } from '../../src/vps/client.js';
import { VpsError } from '../../src/vps/errors.js';

const sim = new Simulator({ settleMs: 5000 });
const ONE = '/api/v1/servers/12345/';
const LIST = '/api/v1/servers/';

function makeClient(overrides: Partial<VpsClientOptions> = {}): VpsClient {
  return new VpsClient({
    baseUrl: sim.baseUrl,
    token: sim.token,
    timeoutMs: 2000,
    retry: { delayMs: () => 20 },
    ...overrides,
  });
}

/** What reached VPS.org, in the order it arrived. */
const sent = () =>
  sim.requests.map((r) => `${r.method} ${r.path}${r.query.status ? `?status=${r.query.status}` : ''}`);

/** A client whose one slot is taken by a held request: everything else waits for its turn. */
async function busyClient() {
  const client = makeClient({ maxInFlight: 1 });
  const blocker = sim.hold({ method: 'GET', path: '/api/v1/servers/12347/', times: 1 });
  const blocked = client.get(12347);
  await blocker.waitForHeld(1);
  return { client, blocker, blocked };
}

beforeAll(() => sim.listen());
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('identical lookups waiting for their turn share one request', () => {
  it('five gets of one server cost one request, and all get its answer', async () => {
    const { client, blocker, blocked } = await busyClient();
    const asked = Array.from({ length: 5 }, () => client.get(12345));
    blocker.release();
    const answers = await Promise.all(asked);
    await blocked;
    expect(answers.every((answer) => answer === answers[0] && answer.id === 12345)).toBe(true);
    expect(sent()).toEqual(['GET /api/v1/servers/12347/', `GET ${ONE}`]);
  });

  it('lists share a request only with lists of the same filters', async () => {
    const { client, blocker } = await busyClient();
    const asked = [
      client.list(),
      client.list({ status: 'active' }),
      client.list(),
      client.list({ status: 'active', location: undefined }),
      client.list({ status: 'stopped' }),
    ];
    blocker.release();
    const [all, active, all2, active2, stopped] = await Promise.all(asked);
    expect(all2).toBe(all);
    expect(active2).toBe(active);
    expect(stopped?.map((s) => s.name)).toEqual(['staging-01']);
    expect(sent().slice(1).sort()).toEqual(
      [LIST, `${LIST}?status=active`, `${LIST}?status=stopped`].map((p) => `GET ${p}`),
    );
  });

  it('a failure reaches every caller that shared the request', async () => {
    const { client, blocker } = await busyClient();
    sim.fault({ method: 'GET', path: '/api/v1/servers/4242/', status: 404 });
    const asked = [client.get(4242), client.get(4242)].map((p) => p.catch((error: unknown) => error));
    blocker.release();
    const [a, b] = await Promise.all(asked);
    expect(a).toMatchObject({ kind: 'not_found' });
    expect(b).toBe(a);
    expect(sim.requests.filter((r) => r.path === '/api/v1/servers/4242/')).toHaveLength(1);
  });

  it('a caller that waited too long is told, and a request no one waits for any more is never sent', async () => {
    const client = makeClient({ maxInFlight: 1, timeoutMs: 500, retry: { limit: 4, delayMs: () => 20 } });
    // The one slot stays taken for five slow failed attempts, well past the waiting caller's time.
    sim.fault({ method: 'GET', path: '/api/v1/servers/12347/', status: 503, hangMs: 200, times: 5 });
    const blocked = client.get(12347).catch((error: unknown) => error);
    const error = await client.get(12345).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', sent: false });
    expect(await blocked).toBeInstanceOf(VpsError);
    expect(sim.requests.map((r) => r.path)).not.toContain(ONE);
  });
});

describe('a lookup joins a request in flight only if it was sent after the question arrived', () => {
  it('an answer never predates the question: later questions wait for the next request, which they share', async () => {
    const client = makeClient();
    const hold = sim.hold({ method: 'GET', path: ONE, times: 1 });
    const arrivedEarlier = performance.now();
    const first = client.get(12345);
    await hold.waitForHeld(1);
    // Asked before the request went out (a command that arrived just before): the request answers it.
    const early = client.get(12345, { askedAt: arrivedEarlier });
    // The server changes; questions asked now must see it.
    sim.setStatus(12345, 'stopped');
    const late = [client.get(12345), client.get(12345), client.get(12345)];
    hold.release();
    expect((await first).status).toBe('active');
    expect(await early).toBe(await first);
    const answers = await Promise.all(late);
    expect(answers.map((a) => a.status)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(answers[1]).toBe(answers[0]);
    expect(sent()).toEqual([`GET ${ONE}`, `GET ${ONE}`]);
  });

  it('nothing is kept once answered: the next question sends a new request', async () => {
    const client = makeClient();
    await client.get(12345);
    await client.get(12345);
    expect(sent()).toEqual([`GET ${ONE}`, `GET ${ONE}`]);
  });
});

describe('never older than the bot’s own changes', () => {
  it('a lookup after the bot’s stop shows stopping, even one that arrived before a request sent before the stop', async () => {
    const client = makeClient();
    const hold = sim.hold({ method: 'GET', path: ONE, times: 1 });
    const arrivedEarlier = performance.now();
    const before = client.get(12345);
    await hold.waitForHeld(1);
    expect((await client.stop(12345)).server.status).toBe('stopping');
    const afterStop = client.get(12345);
    const arrivedBeforeTheRequest = client.get(12345, { askedAt: arrivedEarlier });
    hold.release();
    expect((await before).status).toBe('active');
    expect((await afterStop).status).toBe('stopping');
    expect((await arrivedBeforeTheRequest).status).toBe('stopping');
    expect(sent()).toEqual([`GET ${ONE}`, `POST ${ONE}stop/`, `GET ${ONE}`]);
  });

  it('a list sent before any change of the bot’s serves no lookup after it', async () => {
    const client = makeClient();
    const hold = sim.hold({ method: 'GET', path: LIST, times: 1 });
    const arrivedEarlier = performance.now();
    const before = client.list();
    await hold.waitForHeld(1);
    await client.stop(12345);
    const after = client.list({}, { askedAt: arrivedEarlier });
    hold.release();
    const status = (servers: { id: number; status: string }[]) => servers.find((s) => s.id === 12345)?.status;
    expect(status(await before)).toBe('active');
    expect(status(await after)).toBe('stopping');
  });

  it('a change to another server leaves a lookup in flight shareable', async () => {
    const client = makeClient();
    const hold = sim.hold({ method: 'GET', path: '/api/v1/servers/12346/', times: 1 });
    const arrivedEarlier = performance.now();
    const first = client.get(12346);
    await hold.waitForHeld(1);
    await client.stop(12345);
    const joined = client.get(12346, { askedAt: arrivedEarlier });
    hold.release();
    expect(await joined).toBe(await first);
    expect(sim.requests.filter((r) => r.path === '/api/v1/servers/12346/')).toHaveLength(1);
  });
});

describe('the tracker’s list serves lookups that arrive while it waits for its turn', () => {
  it('a name lookup shares the tracker’s list request', async () => {
    const { client, blocker } = await busyClient();
    const logger = createLogger({ level: 'error', secrets: [], write: () => {} });
    const events = { progress: async () => {}, settled: async () => {}, stuck: async () => {} };
    const tracker = new Tracker({ vps: client, store: new MemoryStore(), logger, events, pollMs: 60_000 });
    await tracker.follow({
      serverId: 12345,
      serverName: 'web-server-01',
      action: 'stop',
      actor: { userId: 'U0ALICE' },
      startedAt: Date.now(),
      status: 'stopping',
    });
    const polled = tracker.pollOnce();
    const found = lookupServer(client, 'db-server-01');
    blocker.release();
    await polled;
    expect(await found).toMatchObject({ kind: 'found', server: { id: 12346 } });
    expect(sent()).toEqual(['GET /api/v1/servers/12347/', `GET ${LIST}`]);
    await tracker.stop();
  });
});

describe('the tracker never settles a server from a list older than the bot’s change to it', () => {
  it('a poll whose list was sent before the bot’s stop leaves the stopped server for the next poll', async () => {
    const client = makeClient();
    const logger = createLogger({ level: 'error', secrets: [], write: () => {} });
    const settled: number[] = [];
    const events = {
      progress: async () => {},
      settled: async (change: { serverId: number }) => {
        settled.push(change.serverId);
      },
      stuck: async () => {},
    };
    const tracker = new Tracker({ vps: client, store: new MemoryStore(), logger, events, pollMs: 60_000 });
    const follow = (serverId: number, serverName: string, action: 'start' | 'stop', status: string) =>
      tracker.follow({
        serverId,
        serverName,
        action,
        actor: { userId: 'U0ALICE' },
        startedAt: Date.now(),
        status,
      });
    // Something is followed, so the tracker polls.
    await follow(12347, 'staging-01', 'start', (await client.start(12347)).server.status);
    const hold = sim.hold({ method: 'GET', path: LIST, times: 1 });
    const polled = tracker.pollOnce();
    await hold.waitForHeld(1);
    // The bot stops a server while the poll's list, sent before, is still on its way back.
    await follow(12345, 'web-server-01', 'stop', (await client.stop(12345)).server.status);
    hold.release();
    await polled;
    expect(settled).toEqual([]);
    expect(tracker.following(12345)?.status).toBe('stopping');
    // The next poll's list is sent after the stop: it shows the server stopping, still followed.
    await tracker.pollOnce();
    expect(settled).toEqual([]);
    expect(tracker.following(12345)?.status).toBe('stopping');
    await tracker.stop();
  });
});

describe('changes are never shared, and go before waiting lookups', () => {
  it('two identical changes are two requests; waiting changes go first, in the order asked', async () => {
    const { client, blocker } = await busyClient();
    const order = [
      client.get(12345),
      client.patch(12346, { name: 'db-renamed' }),
      client.get(12346),
      client.patch(12346, { name: 'db-renamed' }),
      client.start(12347),
    ];
    blocker.release();
    await Promise.all(order);
    expect(sent()).toEqual([
      'GET /api/v1/servers/12347/',
      'PATCH /api/v1/servers/12346/',
      'PATCH /api/v1/servers/12346/',
      'POST /api/v1/servers/12347/start/',
      `GET ${ONE}`,
      'GET /api/v1/servers/12346/',
    ]);
  });
});

describe('after a storm’s answer, the people it reached share the next request', () => {
  it('questions asked just after an answer that served several share one request', async () => {
    // Three questions waiting for their turn behind another request: one request answers them all.
    const client = makeClient({ gatherMs: 1000, maxInFlight: 1 });
    const blocker = sim.hold({ method: 'GET', path: '/api/v1/servers/12347/', times: 1 });
    const blocked = client.get(12347);
    await blocker.waitForHeld(1);
    const storm = [client.get(12345), client.get(12345), client.get(12345)];
    blocker.release();
    await Promise.all([blocked, ...storm]);
    // Its people ask again, a moment apart, as people reading their answers do.
    const again = [client.get(12345)];
    await new Promise((resolve) => setImmediate(resolve));
    again.push(client.get(12345), client.get(12345));
    const answers = await Promise.all(again);
    expect(answers[1]).toBe(answers[0]);
    expect(answers[2]).toBe(answers[0]);
    expect(sent()).toEqual(['GET /api/v1/servers/12347/', `GET ${ONE}`, `GET ${ONE}`]);
  });

  it('a question after an answer that served one goes at once: no one else is coming', async () => {
    // Gathered, this lookup would wait a minute and the test would time out.
    const client = makeClient({ gatherMs: 60_000 });
    await client.get(12345);
    const next = await client.get(12345);
    expect(next.id).toBe(12345);
    expect(sent()).toEqual([`GET ${ONE}`, `GET ${ONE}`]);
  });
});
