import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { VpsClient } from '../../src/vps/client.js';
import { VpsError } from '../../src/vps/errors.js';
import type { CreateServerInput } from '../../src/vps/inputs.js';

// The fleet's clock runs ahead on demand: provisioning settles when the test moves time on.
let ahead = 0;
const sim = new Simulator({ settleMs: 40, provisionMs: 40, clock: () => Date.now() + ahead });
let client: VpsClient;

function makeClient(overrides: Partial<ConstructorParameters<typeof VpsClient>[0]> = {}): VpsClient {
  return new VpsClient({
    baseUrl: sim.baseUrl,
    token: sim.token,
    timeoutMs: 2000,
    retry: { delayMs: () => 20 },
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<VpsError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VpsError);
    return error as VpsError;
  }
  throw new Error('expected the call to fail');
}

const SERVERS = '/api/v1/servers/';

beforeAll(async () => {
  await sim.listen();
  client = makeClient();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('list (GET /servers/)', () => {
  it('returns every server with the documented fields', async () => {
    const servers = await client.list();
    expect(servers.map((s) => s.id)).toEqual([12345, 12346, 12347]);
    expect(servers[0]).toMatchObject({
      name: 'web-server-01',
      hostname: 'web01.example.com',
      status: 'active',
      ip_address: '203.0.113.10',
      location: 'us-west',
      plan: { id: 1, name: 'Standard VPS', vcpus: 2, memory: 4096, storage: 80 },
      os: { id: 5, name: 'Ubuntu 22.04 LTS' },
    });
    expect(sim.requests).toMatchObject([{ method: 'GET', path: SERVERS, authorized: true, status: 200 }]);
  });

  it('sends the status and location filters', async () => {
    expect((await client.list({ status: 'stopped' })).map((s) => s.name)).toEqual(['staging-01']);
    expect((await client.list({ location: 'us-east' })).map((s) => s.name)).toEqual(['db-server-01']);
    expect(await client.list({ status: 'active', location: 'eu-central' })).toEqual([]);
    expect(sim.requests.map((r) => r.query)).toEqual([
      { status: 'stopped' },
      { location: 'us-east' },
      { status: 'active', location: 'eu-central' },
    ]);
  });

  it('follows next pages to the end, filters kept', async () => {
    sim.addServers(7);
    sim.setPageSize(3);
    const servers = await client.list({ status: 'active' });
    expect(servers).toHaveLength(9);
    expect(new Set(servers.map((s) => s.id)).size).toBe(9);
    expect(sim.requests).toHaveLength(3);
    expect(sim.requests.every((r) => r.query.status === 'active')).toBe(true);
  });

  it('does not follow a next link off the API, so the token never leaves', async () => {
    sim.fault({
      method: 'GET',
      path: SERVERS,
      status: 200,
      body: { count: 9, results: [], next: 'http://203.0.113.99/api/v1/servers/?page=2' },
    });
    const error = await failure(client.list());
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/next-page link outside its API/);
  });

  it('stops on a next link that loops', async () => {
    const loop = { count: 1, results: [], next: `${sim.baseUrl}/servers/?page=2` };
    sim.fault({ method: 'GET', path: SERVERS, status: 200, body: loop, times: 3 });
    expect((await failure(client.list())).kind).toBe('bad_response');
  });
});

describe('create (POST /servers/)', () => {
  it('creates a provisioning server with no IP yet, which later settles', async () => {
    const created = await client.create({
      name: 'web-server-02',
      plan_id: 1,
      os_id: 5,
      location: 'us-west',
      hostname: 'web02.example.com',
      backups_enabled: true,
    });
    expect(created).toMatchObject({
      name: 'web-server-02',
      status: 'provisioning',
      ip_address: null,
      backups_enabled: true,
    });
    expect(created.message).toMatch(/provisioned/);
    expect(sim.requests[0]).toMatchObject({
      method: 'POST',
      path: SERVERS,
      status: 201,
      body: {
        name: 'web-server-02',
        plan_id: 1,
        os_id: 5,
        location: 'us-west',
        hostname: 'web02.example.com',
      },
    });
    ahead += 60;
    const settled = await client.get(created.id);
    expect(settled.status).toBe('active');
    expect(settled.ip_address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it.each([
    [{ name: 'bad name!', plan_id: 1, os_id: 5, location: 'us-west' }, 'name'],
    [{ name: '-edge', plan_id: 1, os_id: 5, location: 'us-west' }, 'name'],
    [{ name: 'ok', plan_id: 0, os_id: 5, location: 'us-west' }, 'plan_id'],
    [{ name: 'ok', plan_id: 1, os_id: 1.5, location: 'us-west' }, 'os_id'],
    [{ name: 'ok', plan_id: 1, os_id: 5, location: 'US West' }, 'location'],
    [{ name: 'ok', plan_id: 1, os_id: 5, location: 'us-west', hostname: 'not a host' }, 'hostname'],
    [{ name: 'ok', plan_id: 1, os_id: 5, location: 'us-west', hostname: 'localhost' }, 'hostname'],
    [{ name: 'ok', plan_id: 1, os_id: 5, location: 'us-west', ssh_key_id: -2 }, 'ssh_key_id'],
    [{ name: 'ok', plan_id: 1, os_id: 5, location: 'us-west', colour: 'blue' }, 'colour'],
  ])('refuses bad input %j before any request, naming %s', async (input, field) => {
    // Deliberately wrong input, as a person could type it.
    const error = await failure(client.create(input as CreateServerInput));
    expect(error).toMatchObject({ kind: 'invalid', field });
    expect(error.message).toContain(field);
    expect(sim.requests).toEqual([]);
  });

  it('turns 402 into payment_required', async () => {
    sim.setBalance(false);
    const error = await failure(client.create({ name: 'poor', plan_id: 1, os_id: 5, location: 'us-west' }));
    expect(error).toMatchObject({ kind: 'payment_required', status: 402 });
  });

  it('turns a 400 into invalid, carrying the API message', async () => {
    const error = await failure(client.create({ name: 'web', plan_id: 99, os_id: 5, location: 'us-west' }));
    expect(error).toMatchObject({ kind: 'invalid', status: 400 });
    expect(error.message).toContain('plan_id');
  });
});

describe('get (GET /servers/{id}/)', () => {
  it('returns the detailed server', async () => {
    const server = await client.get(12345);
    expect(server).toMatchObject({
      id: 12345,
      ipv6_address: expect.any(String),
      backups_enabled: expect.any(Boolean),
    });
    expect(server.plan.bandwidth).toBeGreaterThan(0);
    expect(server.resource_usage).toMatchObject({
      cpu_percent: expect.any(Number),
      memory_used: expect.any(Number),
    });
    expect(sim.requests[0]?.path).toBe('/api/v1/servers/12345/');
  });

  it('turns 404 into not_found', async () => {
    expect(await failure(client.get(99999))).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('refuses an id that is not a positive integer before any request', async () => {
    expect(await failure(client.get(-1))).toMatchObject({ kind: 'invalid', field: 'server_id' });
    expect(await failure(client.get(1.5))).toMatchObject({ kind: 'invalid', field: 'server_id' });
    expect(sim.requests).toEqual([]);
  });
});

describe('update (PUT) and patch (PATCH)', () => {
  it('PUT sends all fields and answers the server', async () => {
    const updated = await client.update(12345, {
      name: 'web-server-updated',
      hostname: 'web-updated.example.com',
      backups_enabled: true,
    });
    expect(updated).toMatchObject({ name: 'web-server-updated', hostname: 'web-updated.example.com' });
    expect(sim.requests[0]).toMatchObject({ method: 'PUT', path: '/api/v1/servers/12345/', status: 200 });
  });

  it('PUT refuses a missing field before any request', async () => {
    // @ts-expect-error: hostname missing on purpose
    const error = await failure(client.update(12345, { name: 'x', backups_enabled: true }));
    expect(error).toMatchObject({ kind: 'invalid', field: 'hostname' });
    expect(sim.requests).toEqual([]);
  });

  it('PATCH sends only the given field', async () => {
    const patched = await client.patch(12345, { name: 'new-server-name' });
    expect(patched?.name).toBe('new-server-name');
    expect(sim.requests[0]).toMatchObject({ method: 'PATCH', body: { name: 'new-server-name' } });
    expect(sim.server(12345)?.hostname).toBe('web01.example.com');
  });

  it('PATCH refuses an empty patch', async () => {
    expect(await failure(client.patch(12345, {}))).toMatchObject({ kind: 'invalid' });
    expect(sim.requests).toEqual([]);
  });

  it('accepts an empty answer to PATCH', async () => {
    sim.fault({ method: 'PATCH', path: '/api/v1/servers/12345/', status: 200, body: '' });
    expect(await client.patch(12345, { backups_enabled: false })).toBeUndefined();
  });
});

describe('delete (DELETE /servers/{id}/)', () => {
  it('deletes, then the server is gone', async () => {
    await client.delete(12347);
    expect(sim.requests[0]).toMatchObject({ method: 'DELETE', status: 204 });
    expect((await failure(client.get(12347))).kind).toBe('not_found');
  });

  it('turns 404 into not_found', async () => {
    expect((await failure(client.delete(4242))).kind).toBe('not_found');
  });
});

describe('power actions', () => {
  it('start, stop and reboot answer the documented result', async () => {
    expect(await client.start(12347)).toMatchObject({
      status: 'success',
      message: 'Server is starting',
      server: { id: 12347, status: 'starting' },
    });
    expect(await client.stop(12345)).toMatchObject({
      message: 'Server is stopping',
      server: { status: 'stopping' },
    });
    expect(await client.reboot(12346)).toMatchObject({
      message: 'Server is rebooting',
      server: { status: 'rebooting' },
    });
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v1/servers/12347/start/',
      'POST /api/v1/servers/12345/stop/',
      'POST /api/v1/servers/12346/reboot/',
    ]);
  });

  it('turns the documented 400s into invalid with the API message', async () => {
    const running = await failure(client.start(12345));
    expect(running).toMatchObject({ kind: 'invalid', status: 400 });
    expect(running.message).toMatch(/already running/);
    expect((await failure(client.stop(12347))).message).toMatch(/not running/);
    expect((await failure(client.reboot(12347))).message).toMatch(/not running/);
    expect((await failure(client.reboot(777))).kind).toBe('not_found');
  });
});

describe('errors', () => {
  it('turns 401 into unauthorized and never shows the token', async () => {
    const wrong = makeClient({ token: 'wrong-token-abcdef' });
    const error = await failure(wrong.list());
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(error.message).not.toContain('wrong-token-abcdef');
  });

  it.each([
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [429, 'rate_limited'],
    [408, 'timeout'],
    [400, 'invalid'],
    [402, 'payment_required'],
    [403, 'unauthorized'],
  ])('maps a final %i to %s', async (status, kind) => {
    sim.fault({ method: 'POST', path: '/api/v1/servers/12347/start/', status });
    expect(await failure(client.start(12347))).toMatchObject({ kind, status });
  });

  it('times out a request that hangs', async () => {
    const quick = makeClient({ timeoutMs: 150 });
    sim.fault({ method: 'GET', path: '/api/v1/servers/12345/', hangMs: 1500 });
    const error = await failure(quick.get(12345));
    expect(error.kind).toBe('timeout');
    expect(error.outcomeUnknown).toBe(false);
  });

  it('marks a POST that timed out as possibly done', async () => {
    const quick = makeClient({ timeoutMs: 150 });
    sim.fault({ method: 'POST', path: '/api/v1/servers/12345/reboot/', hangMs: 1500 });
    const error = await failure(quick.reboot(12345));
    expect(error).toMatchObject({ kind: 'timeout', outcomeUnknown: true });
  });

  it('turns a reset connection into unavailable', async () => {
    sim.fault({ method: 'GET', path: '/api/v1/servers/12345/', reset: true, times: 3 });
    expect((await failure(client.get(12345))).kind).toBe('unavailable');
  });

  it('turns a body that is not JSON into bad_response', async () => {
    sim.fault({ method: 'GET', path: '/api/v1/servers/12345/', status: 200, body: '{"id": 12345, "name": ' });
    expect((await failure(client.get(12345))).kind).toBe('bad_response');
  });

  it('turns a body of the wrong shape into bad_response', async () => {
    sim.fault({
      method: 'GET',
      path: '/api/v1/servers/12345/',
      status: 200,
      body: { id: 'twelve', name: 3 },
    });
    const error = await failure(client.get(12345));
    expect(error.kind).toBe('bad_response');
    expect(error.message).not.toContain('twelve');
  });

  it('keeps unknown fields and statuses from breaking a list', async () => {
    const [seed] = await client.list();
    sim.fault({
      method: 'GET',
      path: SERVERS,
      status: 200,
      body: { count: 1, results: [{ ...seed, status: 'migrating', shiny_new_field: { a: 1 } }], extra: true },
    });
    const [server] = await client.list();
    expect(server?.status).toBe('migrating');
  });

  it('redacts the token if an error body echoes it', async () => {
    sim.fault({
      method: 'POST',
      path: SERVERS,
      status: 400,
      body: { detail: `token ${sim.token} is not allowed here` },
    });
    const error = await failure(client.create({ name: 'x', plan_id: 1, os_id: 5, location: 'us-west' }));
    expect(error.message).not.toContain(sim.token);
    expect(error.message).toContain('[redacted]');
  });
});

describe('retries', () => {
  it('retries a GET on 503 and succeeds', async () => {
    sim.fault({ method: 'GET', path: SERVERS, status: 503 });
    expect(await client.list()).toHaveLength(3);
    expect(sim.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('honours Retry-After on 429', async () => {
    sim.fault({
      method: 'GET',
      path: '/api/v1/servers/12345/',
      status: 429,
      headers: { 'Retry-After': '1' },
    });
    await client.get(12345);
    const [first, second] = sim.requests;
    expect(second?.status).toBe(200);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('gives up after the retry limit', async () => {
    sim.fault({ method: 'GET', path: SERVERS, status: 502, times: 10 });
    expect((await failure(client.list())).kind).toBe('unavailable');
    expect(sim.requests).toHaveLength(3);
  });

  it('retries PUT and DELETE, which are idempotent', async () => {
    sim.fault({ method: 'PUT', path: '/api/v1/servers/12345/', status: 504 });
    await client.update(12345, { name: 'a', hostname: 'a.example.com', backups_enabled: false });
    sim.fault({ method: 'DELETE', path: '/api/v1/servers/12346/', status: 500 });
    await client.delete(12346);
    expect(sim.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'PUT 504',
      'PUT 200',
      'DELETE 500',
      'DELETE 204',
    ]);
  });

  it('a DELETE whose failed try was applied after all: its retry finds the server gone, and that is done', async () => {
    sim.fault({ method: 'DELETE', path: '/api/v1/servers/12346/', status: 502 });
    const held = sim.hold({ method: 'DELETE', path: '/api/v1/servers/12346/', times: 1 });
    const deleted = client.delete(12346);
    await held.waitForHeld(1);
    // VPS.org applied it, then its gateway answered 502.
    sim.removeServer(12346);
    held.release();
    await deleted;
    expect(sim.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['DELETE 502', 'DELETE 404']);
    // A first try that finds nothing is still "no such server".
    expect((await failure(client.delete(12346))).kind).toBe('not_found');
  });

  it.each(['start', 'stop', 'reboot'] as const)('never retries POST %s', async (action) => {
    const id = action === 'start' ? 12347 : 12345;
    sim.fault({
      method: 'POST',
      path: `/api/v1/servers/${id}/${action}/`,
      status: 503,
      headers: { 'Retry-After': '0' },
    });
    expect((await failure(client.power(id, action))).kind).toBe('unavailable');
    expect(sim.requests).toHaveLength(1);
  });

  it('never retries a create, even when the connection resets', async () => {
    sim.fault({ method: 'POST', path: SERVERS, reset: true });
    const error = await failure(client.create({ name: 'once', plan_id: 1, os_id: 5, location: 'us-west' }));
    expect(error).toMatchObject({ kind: 'unavailable', outcomeUnknown: true });
    expect(sim.requests).toHaveLength(1);
  });
});

describe('requests in flight', () => {
  it('sends at most maxInFlight at once; the rest wait their turn and all get answered', async () => {
    const gated = makeClient({ maxInFlight: 2 });
    // Six different servers: identical lookups would share one request.
    const ids = [12345, 12346, 12347, ...sim.addServers(3).map((server) => server.id)];
    sim.setLatency(50);
    const servers = await Promise.all(ids.map((id) => gated.get(id)));
    expect(servers.map((s) => s.id)).toEqual(ids);
    expect(sim.requests).toHaveLength(6);
    // With two at a time and 50 ms each, the last of six cannot have started before two rounds ended.
    const started = sim.requests.map((r) => r.at).sort((a, b) => a - b);
    expect((started[5] ?? 0) - (started[0] ?? 0)).toBeGreaterThanOrEqual(90);
  });

  it('never sends a request that waited past its time limit, and says it was not sent', async () => {
    const gated = makeClient({ maxInFlight: 2, timeoutMs: 200 });
    sim.setLatency(1000);
    const errors = await Promise.all(
      [12345, 12346, 12347, 12345].map((id) =>
        gated.start(id).then(
          () => undefined,
          (error: unknown) => error as VpsError,
        ),
      ),
    );
    expect(errors.map((e) => [e?.kind, e?.sent, e?.outcomeUnknown])).toEqual([
      ['timeout', true, true],
      ['timeout', true, true],
      ['timeout', false, false],
      ['timeout', false, false],
    ]);
    await sim.waitForRequest(() => sim.requests.length >= 2);
    expect(sim.requests).toHaveLength(2);
  });

  it('refuses at once, unsent, what would wait beyond the queue', async () => {
    const gated = makeClient({ maxInFlight: 1, maxWaiting: 1, timeoutMs: 2000 });
    sim.setLatency(300);
    const outcomes = await Promise.allSettled([gated.get(12345), gated.get(12346), gated.get(12347)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = (outcomes[2] as PromiseRejectedResult).reason as VpsError;
    expect(refused).toMatchObject({ kind: 'timeout', sent: false });
    expect(sim.requests).toHaveLength(2);
  });
});
