import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { call, control, ISO_MS } from './helpers.js';

// The fleet's clock runs ahead on demand: a transition settles when the test moves time on, no waiting.
let ahead = 0;
const sim = new Simulator({ settleMs: 50, provisionMs: 50, clock: () => Date.now() + ahead });
const moveTimeOn = (ms: number) => {
  ahead += ms;
};

beforeAll(() => sim.listen());
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('programmatic control', () => {
  it('gives settled snapshots sorted by id, which callers cannot change', () => {
    const servers = sim.servers();
    expect(servers.map((s) => s.id)).toEqual([12345, 12346, 12347]);
    const first = servers[0];
    if (first) first.name = 'changed';
    expect(sim.server(12345)?.name).toBe('web-server-01');
    expect(sim.server(99999)).toBeUndefined();
  });

  it('adds a server with defaults, and new ids count up from the highest', async () => {
    const added = sim.addServer({ name: 'extra' });
    expect(added).toMatchObject({
      id: 12348,
      name: 'extra',
      status: 'active',
      location: 'us-west',
      plan: { id: 1, bandwidth: 2048 },
      os: { id: 5 },
      backups_enabled: false,
      ip_address: expect.stringMatching(/^203\.0\.113\.\d+$/),
      created_at: expect.stringMatching(ISO_MS),
    });
    expect(sim.addServer({ name: 'far', id: 20000 }).id).toBe(20000);
    expect(sim.addServer({ name: 'next' }).id).toBe(20001);
    expect(() => sim.addServer({ name: 'clash', id: 12345 })).toThrow(/already exists/);
    const res = await call(sim, 'POST', '/servers/', {
      body: { name: 'api', plan_id: 1, os_id: 5, location: 'us-west' },
    });
    expect(res.json.id).toBe(20002);
  });

  it('keeps odd names as given, for escaping tests', async () => {
    sim.addServer({ name: '<!channel> & co', hostname: 'x.example.com' });
    const res = await call<'list'>(sim, 'GET', '/servers/');
    expect(res.json.results.at(-1)?.name).toBe('<!channel> & co');
  });

  it('changes a status behind the back, bumping updated_at, with an optional settle', async () => {
    const before = sim.server(12345)?.updated_at;
    sim.setStatus(12345, 'suspended');
    const suspended = await call<'server'>(sim, 'GET', '/servers/12345/');
    expect(suspended.json.status).toBe('suspended');
    expect(suspended.json.updated_at).not.toBe(before);
    expect(suspended.json.updated_at).toMatch(ISO_MS);

    sim.setStatus(12346, 'stopping', { to: 'stopped', afterMs: 40 });
    expect(sim.server(12346)?.status).toBe('stopping');
    moveTimeOn(60);
    expect(sim.server(12346)?.status).toBe('stopped');
    expect(() => sim.setStatus(99999, 'active')).toThrow(/no server/);
  });

  it('gives a server addresses when it becomes active', () => {
    const added = sim.addServer({ name: 'fresh', status: 'provisioning' });
    expect(added.ip_address).toBeNull();
    expect(added).not.toHaveProperty('resource_usage');
    sim.setStatus(added.id, 'active');
    expect(sim.server(added.id)?.ip_address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(sim.server(added.id)?.ipv6_address).toMatch(/^2001:0db8::/);
  });

  it('removes a server', async () => {
    sim.removeServer(12346);
    expect((await call(sim, 'GET', '/servers/12346/')).status).toBe(404);
    expect(() => sim.removeServer(12346)).toThrow(/no server/);
  });

  it('adds 10 000 servers quickly, and lists them all', async () => {
    const fleet = new Simulator({ seed: false });
    await fleet.listen();
    try {
      const started = Date.now();
      const added = fleet.addServers(10_000);
      expect(added).toHaveLength(10_000);
      expect(added[0]?.name).toBe('bulk-0001');
      expect(added.at(-1)?.name).toBe('bulk-10000');
      expect(new Set(added.map((s) => s.ip_address)).size).toBe(10_000);
      const res = await call<'list'>(fleet, 'GET', '/servers/');
      expect(res.json.count).toBe(10_000);
      expect(res.json.results).toHaveLength(10_000);
      expect((await call<'list'>(fleet, 'GET', '/servers/?status=active')).json.count).toBe(10_000);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await fleet.close();
    }
  });

  it('adds servers in bulk with shared fields', () => {
    const added = sim.addServers(3, { status: 'stopped', location: 'eu-central', name: 'edge' });
    expect(added.map((s) => [s.name, s.status, s.location])).toEqual([
      ['edge-0001', 'stopped', 'eu-central'],
      ['edge-0002', 'stopped', 'eu-central'],
      ['edge-0003', 'stopped', 'eu-central'],
    ]);
  });

  it('resets to the seed and the constructed options', async () => {
    const paged = new Simulator({ pageSize: 2, seed: true });
    await paged.listen();
    try {
      paged.addServers(5);
      paged.setBalance(false);
      paged.setPageSize(undefined);
      await call(paged, 'GET', '/servers/12345/', { token: 'nope' });
      paged.setLatency(500);
      paged.fault({ method: '*', path: /./, status: 500, times: 10 });
      paged.reset();
      expect(paged.requests).toEqual([]);
      const res = await call<'list'>(paged, 'GET', '/servers/');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ count: 3, next: expect.stringContaining('page=2'), previous: null });
      expect(
        (
          await call(paged, 'POST', '/servers/', {
            body: { name: 'a', plan_id: 1, os_id: 5, location: 'us-west' },
          })
        ).status,
      ).toBe(201);
    } finally {
      await paged.close();
    }
  });

  it('slows transitions begun after setSettleMs, until reset', async () => {
    sim.setSettleMs(60_000);
    expect(sim.settleMs).toBe(60_000);
    await call(sim, 'POST', '/servers/12347/start/');
    moveTimeOn(100);
    expect(sim.server(12347)?.status).toBe('starting');
    sim.reset();
    expect(sim.settleMs).toBe(50);
    await call(sim, 'POST', '/servers/12347/start/');
    moveTimeOn(100);
    expect(sim.server(12347)?.status).toBe('active');
    expect(() => sim.setSettleMs(-5)).toThrow(/settleMs/);
  });

  it('refuses bad options', () => {
    expect(() => new Simulator({ settleMs: -1 })).toThrow(/settleMs/);
    expect(() => new Simulator({ pageSize: 0 })).toThrow(/pageSize/);
    expect(() => sim.setLatency(Number.NaN)).toThrow(/latency/);
  });
});

describe('control routes', () => {
  it('lists its routes', async () => {
    const res = await control(sim, 'GET', '/_sim');
    expect(res.status).toBe(200);
    expect(res.json.routes).toContain('POST /_sim/reset');
  });

  it('needs no token, and is not recorded as an API request', async () => {
    const res = await control<'servers'>(sim, 'GET', '/_sim/servers');
    expect(res.status).toBe(200);
    expect(res.json.count).toBe(3);
    expect(res.json.results[0]).toMatchObject({ id: 12345, resource_usage: expect.any(Object) });
    expect(sim.requests).toEqual([]);
  });

  it('adds one server, or many with count', async () => {
    const one = await control<'server'>(sim, 'POST', '/_sim/servers', {
      name: 'ctl-1',
      status: 'stopped',
      plan_id: 2,
      os_id: 3,
      location: 'us-east',
    });
    expect(one.status).toBe(201);
    expect(one.json).toMatchObject({
      id: 12348,
      name: 'ctl-1',
      status: 'stopped',
      plan: { id: 2 },
      os: { id: 3 },
    });
    const many = await control<'servers'>(sim, 'POST', '/_sim/servers', { count: 4, location: 'eu-central' });
    expect(many.status).toBe(201);
    expect(many.json.count).toBe(4);
    expect(sim.servers()).toHaveLength(8);
    expect((await control(sim, 'GET', '/_sim/servers/12349')).json).toMatchObject({ name: 'bulk-0001' });
  });

  it('sets a status, with and without a settle', async () => {
    const res = await control<'server'>(sim, 'POST', '/_sim/servers/12345/status', {
      status: 'rebooting',
      settleTo: 'active',
      afterMs: 30,
    });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('rebooting');
    moveTimeOn(50);
    expect(sim.server(12345)?.status).toBe('active');
    await control(sim, 'POST', '/_sim/servers/12346/status', { status: 'suspended' });
    expect(sim.server(12346)?.status).toBe('suspended');
    expect((await control(sim, 'POST', '/_sim/servers/99999/status', { status: 'active' })).status).toBe(404);
  });

  it('deletes a server', async () => {
    expect((await control(sim, 'DELETE', '/_sim/servers/12347')).status).toBe(204);
    expect(sim.server(12347)).toBeUndefined();
    expect((await control(sim, 'DELETE', '/_sim/servers/12347')).status).toBe(404);
  });

  it('switches the balance, latency and page size', async () => {
    expect((await control(sim, 'POST', '/_sim/balance', { ok: false })).json).toEqual({ ok: false });
    const body = { name: 'a', plan_id: 1, os_id: 5, location: 'us-west' };
    expect((await call(sim, 'POST', '/servers/', { body })).status).toBe(402);
    await control(sim, 'POST', '/_sim/balance', { ok: true });
    expect((await call(sim, 'POST', '/servers/', { body })).status).toBe(201);

    expect((await control(sim, 'POST', '/_sim/latency', { ms: 60 })).status).toBe(200);
    const started = Date.now();
    await call(sim, 'GET', '/servers/');
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    await control(sim, 'POST', '/_sim/latency', { ms: 0 });

    await control(sim, 'POST', '/_sim/page-size', { size: 1 });
    expect((await call<'list'>(sim, 'GET', '/servers/')).json.results).toHaveLength(1);
    await control(sim, 'POST', '/_sim/page-size', { size: null });
    expect((await call<'list'>(sim, 'GET', '/servers/')).json.results).toHaveLength(4);
  });

  it('queues faults, with a path or a pattern', async () => {
    const queued = await control(sim, 'POST', '/_sim/faults', {
      method: 'GET',
      path: '/api/v1/servers/',
      status: 503,
      headers: { 'Retry-After': '2' },
    });
    expect(queued.status).toBe(201);
    await control(sim, 'POST', '/_sim/faults', {
      method: '*',
      pathPattern: '/12346/$',
      status: 500,
      body: 'oops',
    });
    const first = await call(sim, 'GET', '/servers/');
    expect([first.status, first.headers.get('retry-after')]).toEqual([503, '2']);
    const second = await call(sim, 'GET', '/servers/12346/');
    expect([second.status, second.text]).toEqual([500, 'oops']);
  });

  it('reads and clears the request log', async () => {
    await call(sim, 'GET', '/servers/12345/');
    const log = await control<'requests'>(sim, 'GET', '/_sim/requests');
    expect(log.json.count).toBe(1);
    expect(log.json.results[0]).toMatchObject({ method: 'GET', path: '/api/v1/servers/12345/', status: 200 });
    expect((await control(sim, 'DELETE', '/_sim/requests')).status).toBe(204);
    expect(sim.requests).toEqual([]);
  });

  it('resets', async () => {
    sim.removeServer(12345);
    await call(sim, 'GET', '/servers/');
    expect((await control(sim, 'POST', '/_sim/reset')).status).toBe(204);
    expect(sim.servers()).toHaveLength(3);
    expect(sim.requests).toEqual([]);
  });

  it.each([
    ['POST', '/_sim/servers', { plan_id: 1 }, /name is required/],
    ['POST', '/_sim/servers', { name: 'x', plan_id: 42 }, /plan_id/],
    ['POST', '/_sim/servers', { name: 'x', colour: 'red' }, /Unknown field colour/],
    ['POST', '/_sim/servers', { count: -1 }, /count/],
    ['POST', '/_sim/servers', [1, 2], /JSON object/],
    ['POST', '/_sim/servers/12345/status', {}, /status is required/],
    ['POST', '/_sim/servers/12345/status', { status: 'active', afterMs: 5 }, /settleTo/],
    ['POST', '/_sim/balance', { ok: 'yes' }, /ok must be true or false/],
    ['POST', '/_sim/latency', { ms: -5 }, /ms must be a number/],
    ['POST', '/_sim/faults', { method: 'GET', status: 500 }, /path/],
    ['POST', '/_sim/faults', { method: 'GET', path: '/x/', status: 1000 }, /status/],
    ['POST', '/_sim/faults', { method: 'GET', pathPattern: '(', status: 500 }, /regular expression/],
  ])('answers 400 to %s %s %j', async (method, path, body, detail) => {
    const res = await control<'detail'>(sim, method, path, body);
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(detail);
  });

  it('answers 400 to malformed JSON, 404 to unknown routes and 405 to wrong methods', async () => {
    const bad = await call(sim, 'POST', `${sim.origin}/_sim/balance`, { raw: '{', token: null });
    expect(bad.status).toBe(400);
    expect((await control(sim, 'GET', '/_sim/nothing')).status).toBe(404);
    const wrong = await control(sim, 'GET', '/_sim/reset');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
