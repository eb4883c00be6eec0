import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { type Bodies, call, control } from './helpers.js';

const sim = new Simulator({ settleMs: 50, provisionMs: 50 });
const ONE = '/api/v1/servers/12345/';

beforeAll(() => sim.listen());
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('holds: answers wait until released', () => {
  it('holds matching answers, made when the request came, until release', async () => {
    const hold = sim.hold({ method: 'GET', path: ONE });
    const first = call<'server'>(sim, 'GET', '/servers/12345/');
    await hold.waitForHeld(1);
    // Changed after the request came: the held answer still shows it as it was.
    sim.setStatus(12345, 'stopped');
    const other = await call(sim, 'GET', '/servers/12346/');
    expect(other.status).toBe(200);
    expect(sim.requests.map((r) => [r.path, r.status])).toEqual([
      [ONE, 0],
      ['/api/v1/servers/12346/', 200],
    ]);
    expect(hold.release()).toBe(1);
    const answer = await first;
    expect([answer.status, answer.json.status]).toEqual([200, 'active']);
    // Released: later matching requests pass.
    expect((await call<'server'>(sim, 'GET', '/servers/12345/')).json.status).toBe('stopped');
  });

  it('holds only the first `times` matching requests', async () => {
    const hold = sim.hold({ method: '*', path: /\/servers\/\d+\/$/, times: 1 });
    const held = call(sim, 'GET', '/servers/12345/');
    await hold.waitForHeld(1);
    expect((await call(sim, 'GET', '/servers/12346/')).status).toBe(200);
    expect(hold.held).toBe(1);
    hold.release();
    expect((await held).status).toBe(200);
    expect(hold.summary()).toMatchObject({ held: 0, matched: 1, released: true });
  });

  it('waitForHeld says how many it saw when they do not come', async () => {
    const hold = sim.hold({ method: 'GET', path: ONE });
    await expect(hold.waitForHeld(2, 50)).rejects.toThrow(/0 answers held, not 2/);
  });

  it('refuses a rule that makes no sense', () => {
    expect(() => sim.hold({ method: '', path: ONE })).toThrow(/method/);
    expect(() => sim.hold({ method: 'GET', path: 'servers' })).toThrow(/path/);
    expect(() => sim.hold({ method: 'GET', path: ONE, times: 0 })).toThrow(/times/);
  });

  it('lets held answers go on reset', async () => {
    const hold = sim.hold({ method: 'GET', path: ONE });
    const held = call(sim, 'GET', '/servers/12345/');
    await hold.waitForHeld(1);
    sim.reset();
    expect((await held).status).toBe(200);
    expect(sim.holds()).toEqual([]);
  });

  it('drops a held answer whose client went away', async () => {
    const hold = sim.hold({ method: 'GET', path: ONE });
    const gone = new AbortController();
    const held = fetch(`${sim.baseUrl}/servers/12345/`, {
      headers: { authorization: `Bearer ${sim.token}` },
      signal: gone.signal,
    }).catch((error: unknown) => error);
    await hold.waitForHeld(1);
    gone.abort();
    await held;
    await sim.waitForRequest((r) => r.path === ONE);
    expect(hold.held).toBe(0);
    expect(sim.requests).toMatchObject([{ path: ONE, status: 0 }]);
  });

  it('is steered over HTTP: POST /_sim/holds, GET /_sim/holds, POST /_sim/holds/{id}/release', async () => {
    const created = await control(sim, 'POST', '/_sim/holds', { method: 'GET', pathPattern: '/12345/$' });
    expect(created.status).toBe(201);
    const id = created.json.id as number;
    const held = call(sim, 'GET', '/servers/12345/');
    await sim.holds()[0]?.waitForHeld(1);
    const listed = await control<'any'>(sim, 'GET', '/_sim/holds');
    expect(listed.json).toMatchObject({
      count: 1,
      results: [{ id, method: 'GET', held: 1, released: false }],
    });
    const released = await control(sim, 'POST', `/_sim/holds/${id}/release`);
    expect(released.json).toEqual({ id, released: 1 });
    expect((await held).status).toBe(200);
    expect((await control(sim, 'POST', '/_sim/holds/999/release')).status).toBe(404);
  });

  it.each([
    [{ method: 'GET' }, /path/],
    [{ method: 'GET', path: ONE, times: -1 }, /times/],
    [{ method: 'GET', path: ONE, colour: 'red' }, /Unknown field colour/],
    [{ method: 'GET', path: ONE, pathPattern: '/x/' }, /either path or pathPattern/],
  ])('answers 400 to POST /_sim/holds %j', async (body, detail) => {
    const res = await control<'detail'>(sim, 'POST', '/_sim/holds', body);
    expect(res.status).toBe(400);
    expect((res.json as Bodies['detail']).detail).toMatch(detail);
  });
});

describe('faults on every n-th request', () => {
  it('answers every fifth matching request with the fault, until reset', async () => {
    sim.fault({ method: '*', path: /^\/api\/v1\//, every: 5, status: 429, headers: { 'Retry-After': '1' } });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await call(sim, 'GET', '/servers/12345/')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 200, 200, 200, 200, 429, 200]);
    expect(sim.requests[4]?.status).toBe(429);
    sim.reset();
    for (let i = 0; i < 5; i += 1) expect((await call(sim, 'GET', '/servers/')).status).toBe(200);
  });

  it('lets the other requests reach the rules after it, and stops after `times`', async () => {
    sim.fault({ method: 'GET', path: ONE, every: 2, times: 1, status: 503 });
    sim.fault({ method: 'GET', path: ONE, status: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call(sim, 'GET', '/servers/12345/')).status);
    expect(statuses).toEqual([500, 503, 200, 200]);
  });

  it('is queued over HTTP, and a bad `every` is refused', async () => {
    const queued = await control(sim, 'POST', '/_sim/faults', {
      method: 'GET',
      path: ONE,
      every: 2,
      status: 429,
    });
    expect(queued.status).toBe(201);
    expect((await call(sim, 'GET', '/servers/12345/')).status).toBe(200);
    expect((await call(sim, 'GET', '/servers/12345/')).status).toBe(429);
    const bad = await control<'detail'>(sim, 'POST', '/_sim/faults', {
      method: 'GET',
      path: ONE,
      every: 0,
      status: 429,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/every must be a positive integer/);
  });
});
