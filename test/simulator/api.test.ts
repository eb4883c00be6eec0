import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { type Answer, call, ISO_MS } from './helpers.js';

// The fleet's clock runs ahead on demand: a transition settles when the test moves time on, no waiting.
let ahead = 0;
const sim = new Simulator({ settleMs: 50, provisionMs: 50, clock: () => Date.now() + ahead });
const moveTimeOn = (ms: number) => {
  ahead += ms;
};
/** Past the 50 ms settle and provision delays. */
const settled = () => moveTimeOn(70);

const LIST_KEYS = [
  'id',
  'name',
  'hostname',
  'status',
  'ip_address',
  'location',
  'plan',
  'os',
  'created_at',
  'updated_at',
];
const DETAIL_KEYS = [
  'id',
  'name',
  'hostname',
  'status',
  'ip_address',
  'ipv6_address',
  'location',
  'plan',
  'os',
  'backups_enabled',
  'resource_usage',
  'created_at',
  'updated_at',
];
const NEW_SERVER = { name: 'web-server-02', plan_id: 1, os_id: 5, location: 'us-west' };

beforeAll(() => sim.listen());
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('auth', () => {
  it('answers 401 without a token, with a wrong one, and before a 404', async () => {
    for (const [path, token] of [
      ['/servers/', null],
      ['/servers/', 'wrong-token'],
      ['/servers/99999/', null],
      ['/nowhere/', 'wrong-token'],
    ] as const) {
      const res = await call(sim, 'GET', path, { token });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ detail: 'Invalid or missing API token.' });
    }
    expect(sim.requests.map((r) => r.authorized)).toEqual([false, false, false, false]);
  });

  it('accepts the right bearer token and records the request', async () => {
    const res = await call(sim, 'GET', '/servers/?status=active');
    expect(res.status).toBe(200);
    expect(sim.requests).toEqual([
      {
        method: 'GET',
        path: '/api/v1/servers/',
        query: { status: 'active' },
        body: undefined,
        authorized: true,
        status: 200,
        at: expect.any(Number),
        answeredAfterMs: expect.any(Number),
      },
    ]);
  });
});

describe('routing', () => {
  it.each([
    '/servers',
    '/servers/12345',
    '/servers/12345/start',
    '/servers/abc/',
    '/servers/12345/explode/',
    '/',
  ])('answers 404 Not found for %s', async (path) => {
    const res = await call(sim, 'GET', path);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: 'Not found.' });
  });

  it.each([
    ['DELETE', '/servers/', 'GET, POST'],
    ['POST', '/servers/12345/', 'GET, PUT, PATCH, DELETE'],
    ['GET', '/servers/12345/start/', 'POST'],
  ])('answers 405 to %s %s', async (method, path, allow) => {
    const res = await call(sim, method, path);
    expect(res.status).toBe(405);
    expect(res.json).toEqual({ detail: `Method "${method}" not allowed.` });
    expect(res.headers.get('allow')).toBe(allow);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await call(sim, 'POST', '/servers/', { raw: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ detail: 'Request body is not valid JSON.' });
    expect(sim.requests[0]?.body).toBe('{"name": ');
  });
});

describe('GET /servers/', () => {
  it('lists the seeded fleet in the documented list shape, without paging keys', async () => {
    const res = await call<'list'>(sim, 'GET', '/servers/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(res.json)).toEqual(['count', 'results']);
    expect(res.json.count).toBe(3);
    expect(res.json.results.map((s) => s.id)).toEqual([12345, 12346, 12347]);
    for (const item of res.json.results) {
      expect(Object.keys(item)).toEqual(LIST_KEYS);
      expect(Object.keys(item.plan)).toEqual(['id', 'name', 'vcpus', 'memory', 'storage']);
    }
    expect(res.json.results[0]).toEqual({
      id: 12345,
      name: 'web-server-01',
      hostname: 'web01.example.com',
      status: 'active',
      ip_address: '203.0.113.10',
      location: 'us-west',
      plan: { id: 1, name: 'Standard VPS', vcpus: 2, memory: 4096, storage: 80 },
      os: { id: 5, name: 'Ubuntu 22.04 LTS' },
      created_at: '2025-01-10T14:30:00Z',
      updated_at: '2025-01-15T10:20:00Z',
    });
    expect(res.json.results[1]).toMatchObject({
      id: 12346,
      name: 'db-server-01',
      hostname: 'db01.example.com',
      ip_address: '203.0.113.11',
      location: 'us-east',
      plan: { id: 2, name: 'Performance VPS', vcpus: 4, memory: 8192, storage: 160 },
      os: { id: 3, name: 'Debian 12' },
    });
    expect(res.json.results[2]).toMatchObject({
      id: 12347,
      name: 'staging-01',
      hostname: 'staging01.example.com',
      status: 'stopped',
      ip_address: '203.0.113.12',
      location: 'eu-central',
      plan: { id: 3, name: 'Starter VPS', vcpus: 1, memory: 2048, storage: 40 },
      os: { id: 7, name: 'Rocky Linux 9' },
    });
  });

  it.each([
    ['?status=active', [12345, 12346]],
    ['?status=stopped', [12347]],
    ['?status=suspended', []],
    ['?location=us-east', [12346]],
    ['?location=eu-central&status=stopped', [12347]],
    ['?location=eu-central&status=active', []],
    ['?status=Active', []],
  ])('filters with %s', async (query, ids) => {
    const res = await call<'list'>(sim, 'GET', `/servers/${query}`);
    expect(res.json.count).toBe(ids.length);
    expect(res.json.results.map((s) => s.id)).toEqual(ids);
  });

  it('pages when a page size is set, keeping the filters in next links', async () => {
    sim.addServers(5);
    sim.addServer({ name: 'off', status: 'stopped' });
    sim.setPageSize(3);
    const pages: { count: number; next?: string | null; previous?: string | null; ids: number[] }[] = [];
    let url: string | null | undefined = `${sim.baseUrl}/servers/?status=active`;
    while (url) {
      const res: Answer<'list'> = await call<'list'>(sim, 'GET', url);
      expect(res.status).toBe(200);
      expect(Object.keys(res.json)).toEqual(['count', 'next', 'previous', 'results']);
      pages.push({ ...res.json, ids: res.json.results.map((s) => s.id) });
      url = res.json.next;
    }
    expect(pages.map((p) => p.count)).toEqual([7, 7, 7]);
    expect(pages.map((p) => p.ids.length)).toEqual([3, 3, 1]);
    expect(new Set(pages.flatMap((p) => p.ids)).size).toBe(7);
    const base = `${sim.baseUrl}/servers/`;
    expect(pages.map((p) => p.next)).toEqual([
      `${base}?status=active&page=2`,
      `${base}?status=active&page=3`,
      null,
    ]);
    expect(pages.map((p) => p.previous)).toEqual([
      null,
      `${base}?status=active`,
      `${base}?status=active&page=2`,
    ]);
    expect(sim.requests.map((r) => r.query)).toEqual([
      { status: 'active' },
      { status: 'active', page: '2' },
      { status: 'active', page: '3' },
    ]);
  });

  it('answers 404 for a page out of range, and ignores page when paging is off', async () => {
    sim.setPageSize(2);
    for (const page of ['3', '0', 'x']) {
      const res = await call(sim, 'GET', `/servers/?page=${page}`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ detail: 'Invalid page.' });
    }
    sim.setPageSize(undefined);
    const res = await call<'list'>(sim, 'GET', '/servers/?page=3');
    expect(res.json.results).toHaveLength(3);
  });
});

describe('GET /servers/{id}/', () => {
  it('answers the documented detail of web-server-01', async () => {
    const res = await call(sim, 'GET', '/servers/12345/');
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(DETAIL_KEYS);
    expect(res.json).toEqual({
      id: 12345,
      name: 'web-server-01',
      hostname: 'web01.example.com',
      status: 'active',
      ip_address: '203.0.113.10',
      ipv6_address: '2001:0db8::1',
      location: 'us-west',
      plan: { id: 1, name: 'Standard VPS', vcpus: 2, memory: 4096, storage: 80, bandwidth: 2048 },
      os: { id: 5, name: 'Ubuntu 22.04 LTS' },
      backups_enabled: true,
      resource_usage: { cpu_percent: 23.5, memory_used: 2048, disk_used: 35, bandwidth_used: 450 },
      created_at: '2025-01-10T14:30:00Z',
      updated_at: '2025-01-15T10:20:00Z',
    });
  });

  it('derives steady usage within the plan, with no CPU or memory when stopped', async () => {
    const first = await call<'server'>(sim, 'GET', '/servers/12346/');
    const again = await call<'server'>(sim, 'GET', '/servers/12346/');
    expect(again.json.resource_usage).toEqual(first.json.resource_usage);
    const { plan, resource_usage: usage } = first.json;
    expect(plan.bandwidth).toBe(4096);
    expect(usage?.cpu_percent).toBeGreaterThan(0);
    expect(usage?.cpu_percent).toBeLessThanOrEqual(100);
    expect(usage?.memory_used).toBeLessThanOrEqual(plan.memory);
    expect(usage?.disk_used).toBeLessThanOrEqual(plan.storage);
    expect(usage?.bandwidth_used).toBeLessThanOrEqual(plan.bandwidth);
    const stopped = await call<'server'>(sim, 'GET', '/servers/12347/');
    expect(stopped.json.resource_usage).toMatchObject({ cpu_percent: 0, memory_used: 0 });
    expect(stopped.json.plan).toEqual({
      id: 3,
      name: 'Starter VPS',
      vcpus: 1,
      memory: 2048,
      storage: 40,
      bandwidth: 1024,
    });
  });

  it('answers 404 for an unknown id', async () => {
    const res = await call(sim, 'GET', '/servers/99999/');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: 'Not found.' });
  });
});

describe('POST /servers/', () => {
  it('creates a provisioning server without addresses, which settles to active with them', async () => {
    const res = await call<'server'>(sim, 'POST', '/servers/', {
      body: { ...NEW_SERVER, hostname: 'web02.example.com', backups_enabled: true, ssh_key_id: 7 },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: 12348,
      name: 'web-server-02',
      hostname: 'web02.example.com',
      status: 'provisioning',
      ip_address: null,
      ipv6_address: null,
      location: 'us-west',
      plan: { id: 1, name: 'Standard VPS', vcpus: 2, memory: 4096, storage: 80, bandwidth: 2048 },
      os: { id: 5, name: 'Ubuntu 22.04 LTS' },
      backups_enabled: true,
      created_at: expect.stringMatching(ISO_MS),
      updated_at: res.json.created_at,
      message: 'Server is being provisioned. This may take 2-5 minutes.',
    });

    const early = await call<'server'>(sim, 'GET', '/servers/12348/');
    expect(early.json.status).toBe('provisioning');
    expect(early.json).not.toHaveProperty('resource_usage');

    settled();
    const later = await call<'server'>(sim, 'GET', '/servers/12348/');
    expect(later.json.status).toBe('active');
    expect(later.json.ip_address).toMatch(/^203\.0\.113\.\d+$/);
    expect(later.json.ipv6_address).toMatch(/^2001:0db8::/);
    expect(later.json.resource_usage).toBeDefined();
    expect(later.json.updated_at).toMatch(ISO_MS);
    expect(Date.parse(later.json.updated_at)).toBeGreaterThan(Date.parse(later.json.created_at));
    expect(sim.server(12348)?.status).toBe('active');
  });

  it('defaults backups off, allows duplicate names and counts ids up', async () => {
    const first = await call<'server'>(sim, 'POST', '/servers/', { body: NEW_SERVER });
    const second = await call<'server'>(sim, 'POST', '/servers/', { body: NEW_SERVER });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect([first.json.id, second.json.id]).toEqual([12348, 12349]);
    expect(first.json.backups_enabled).toBe(false);
    expect(first.json.hostname).toEqual(expect.any(String));
  });

  it.each([
    [{ ...NEW_SERVER, name: undefined }, 'name'],
    [{ ...NEW_SERVER, name: 'bad name!' }, 'name'],
    [{ ...NEW_SERVER, name: 'under_score' }, 'name'],
    [{ ...NEW_SERVER, name: '' }, 'name'],
    [{ ...NEW_SERVER, name: 42 }, 'name'],
    [{ ...NEW_SERVER, plan_id: undefined }, 'plan_id'],
    [{ ...NEW_SERVER, plan_id: '1' }, 'plan_id'],
    [{ ...NEW_SERVER, plan_id: 9 }, 'plan_id'],
    [{ ...NEW_SERVER, os_id: 1.5 }, 'os_id'],
    [{ ...NEW_SERVER, os_id: 99 }, 'os_id'],
    [{ ...NEW_SERVER, os_id: undefined }, 'os_id'],
    [{ ...NEW_SERVER, location: undefined }, 'location'],
    [{ ...NEW_SERVER, location: 'mars' }, 'location'],
    [{ ...NEW_SERVER, location: 3 }, 'location'],
    [{ ...NEW_SERVER, hostname: 'not a host' }, 'hostname'],
    [{ ...NEW_SERVER, hostname: 'localhost' }, 'hostname'],
    [{ ...NEW_SERVER, hostname: '10.0.0.1' }, 'hostname'],
    [{ ...NEW_SERVER, hostname: null }, 'hostname'],
    [{ ...NEW_SERVER, ssh_key_id: 'abc' }, 'ssh_key_id'],
    [{ ...NEW_SERVER, ssh_key_id: 0 }, 'ssh_key_id'],
    [{ ...NEW_SERVER, backups_enabled: 'yes' }, 'backups_enabled'],
  ])('answers 400 to %j, naming %s', async (body, field) => {
    const res = await call<'detail'>(sim, 'POST', '/servers/', { body });
    expect(res.status).toBe(400);
    expect(res.json.detail.startsWith(`${field}: `)).toBe(true);
    expect(sim.servers()).toHaveLength(3);
  });

  it('answers 400 to an empty body or one that is not an object', async () => {
    expect((await call<'detail'>(sim, 'POST', '/servers/')).json.detail).toMatch(/^name: /);
    const res = await call<'detail'>(sim, 'POST', '/servers/', { body: [NEW_SERVER] });
    expect(res.status).toBe(400);
    expect(res.json.detail).toBe('Request body must be a JSON object.');
  });

  it('answers 402 while the balance is off', async () => {
    sim.setBalance(false);
    const res = await call(sim, 'POST', '/servers/', { body: NEW_SERVER });
    expect(res.status).toBe(402);
    expect(res.json).toEqual({ detail: 'Insufficient balance.' });
    expect(sim.servers()).toHaveLength(3);
    sim.setBalance(true);
    expect((await call(sim, 'POST', '/servers/', { body: NEW_SERVER })).status).toBe(201);
  });
});

describe('PUT /servers/{id}/', () => {
  const update = { name: 'web-server-updated', hostname: 'web-updated.example.com', backups_enabled: false };

  it('replaces name, hostname and backups and answers the detailed server', async () => {
    const res = await call<'server'>(sim, 'PUT', '/servers/12345/', { body: update });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(DETAIL_KEYS);
    expect(res.json).toMatchObject({ id: 12345, ...update, status: 'active' });
    expect(res.json.updated_at).toMatch(ISO_MS);
    expect(res.json.updated_at).not.toBe('2025-01-15T10:20:00Z');
    expect(sim.server(12345)).toMatchObject(update);
  });

  it.each(['name', 'hostname', 'backups_enabled'])('requires %s', async (field) => {
    const res = await call<'detail'>(sim, 'PUT', '/servers/12345/', {
      body: { ...update, [field]: undefined },
    });
    expect(res.status).toBe(400);
    expect(res.json.detail).toBe(`${field}: this field is required.`);
    expect(sim.server(12345)?.name).toBe('web-server-01');
  });

  it('validates each field and answers 404 for an unknown id', async () => {
    const bad = await call<'detail'>(sim, 'PUT', '/servers/12345/', {
      body: { ...update, hostname: 'nope' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/^hostname: /);
    expect((await call(sim, 'PUT', '/servers/99999/', { body: update })).status).toBe(404);
  });
});

describe('PATCH /servers/{id}/', () => {
  it('changes only the fields sent', async () => {
    const res = await call<'server'>(sim, 'PATCH', '/servers/12345/', { body: { name: 'new-server-name' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: 'new-server-name',
      hostname: 'web01.example.com',
      backups_enabled: true,
    });
    const backups = await call<'server'>(sim, 'PATCH', '/servers/12345/', {
      body: { backups_enabled: false },
    });
    expect(backups.json).toMatchObject({ name: 'new-server-name', backups_enabled: false });
    const host = await call<'server'>(sim, 'PATCH', '/servers/12345/', {
      body: { hostname: 'a.example.org' },
    });
    expect(host.json.hostname).toBe('a.example.org');
  });

  it.each([
    [{}, /^Request body is empty/],
    [undefined, /^Request body is empty/],
    [{ status: 'stopped' }, /^status: /],
    [{ name: 'ok', colour: 'blue' }, /^colour: /],
    [{ name: 'no spaces' }, /^name: /],
    [{ backups_enabled: 1 }, /^backups_enabled: /],
  ])('answers 400 to %j', async (body, detail) => {
    const res = await call<'detail'>(sim, 'PATCH', '/servers/12345/', { body });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(detail);
    expect(sim.server(12345)?.name).toBe('web-server-01');
  });

  it('answers 404 for an unknown id', async () => {
    expect((await call(sim, 'PATCH', '/servers/99999/', { body: { name: 'x' } })).status).toBe(404);
  });
});

describe('DELETE /servers/{id}/', () => {
  it('answers 204 with no body, and the server is gone', async () => {
    const res = await call(sim, 'DELETE', '/servers/12346/');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await call(sim, 'GET', '/servers/12346/')).status).toBe(404);
    expect((await call(sim, 'DELETE', '/servers/12346/')).status).toBe(404);
    expect(sim.servers().map((s) => s.id)).toEqual([12345, 12347]);
  });
});

describe('power actions', () => {
  it('starts a stopped server, which settles to active; starting again is refused', async () => {
    const res = await call(sim, 'POST', '/servers/12347/start/');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      status: 'success',
      message: 'Server is starting',
      server: { id: 12347, name: 'staging-01', status: 'starting' },
    });
    const during = await call<'detail'>(sim, 'POST', '/servers/12347/start/');
    expect(during.status).toBe(400);
    expect(during.json.detail).toBe('Server is not stopped (status: starting).');
    settled();
    expect(sim.server(12347)?.status).toBe('active');
    const again = await call(sim, 'POST', '/servers/12347/start/');
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ detail: 'Server is already running.' });
  });

  it('stops an active server, which settles to stopped; stopping again is refused', async () => {
    const res = await call<'power'>(sim, 'POST', '/servers/12345/stop/');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      status: 'success',
      message: 'Server is stopping',
      server: { id: 12345, name: 'web-server-01', status: 'stopping' },
    });
    const stopping = sim.server(12345);
    expect(stopping?.status).toBe('stopping');
    settled();
    const stopped = await call<'server'>(sim, 'GET', '/servers/12345/');
    expect(stopped.json.status).toBe('stopped');
    expect(Date.parse(stopped.json.updated_at)).toBeGreaterThan(Date.parse(stopping?.updated_at ?? ''));
    const again = await call(sim, 'POST', '/servers/12345/stop/');
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ detail: 'Server is not running.' });
  });

  it('reboots an active server back to active, and refuses a stopped one', async () => {
    const res = await call<'power'>(sim, 'POST', '/servers/12346/reboot/');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ message: 'Server is rebooting', server: { status: 'rebooting' } });
    expect(sim.server(12346)?.status).toBe('rebooting');
    settled();
    expect(sim.server(12346)?.status).toBe('active');
    const stopped = await call(sim, 'POST', '/servers/12347/reboot/');
    expect(stopped.status).toBe(400);
    expect(stopped.json).toEqual({ detail: 'Server is not running.' });
  });

  it.each(['start', 'stop', 'reboot'])('answers 404 to %s of an unknown id', async (action) => {
    const res = await call(sim, 'POST', `/servers/99999/${action}/`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: 'Not found.' });
  });
});
