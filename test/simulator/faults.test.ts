import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RecordedRequest, Simulator } from '../../src/simulator/index.js';
import { call } from './helpers.js';

const sim = new Simulator({ settleMs: 50, provisionMs: 50 });
const SERVERS = '/api/v1/servers/';
const ONE = '/api/v1/servers/12345/';

beforeAll(() => sim.listen());
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('faults', () => {
  it('answers a status with headers and the status text, once by default', async () => {
    sim.fault({ method: 'GET', path: SERVERS, status: 429, headers: { 'Retry-After': '1' } });
    const limited = await call(sim, 'GET', '/servers/');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.json).toEqual({ detail: 'Too Many Requests' });
    expect((await call(sim, 'GET', '/servers/')).status).toBe(200);
    expect(sim.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('applies a rule `times` times, in the order queued, one rule per request', async () => {
    sim.fault({ method: 'GET', path: ONE, status: 503, times: 2 });
    sim.fault({ method: '*', path: /^\/api\/v1\/servers\/\d+\/$/, status: 502 });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call(sim, 'GET', '/servers/12345/')).status);
    expect(statuses).toEqual([503, 503, 502, 200]);
  });

  it('matches on method and exact path', async () => {
    sim.fault({ method: 'POST', path: ONE, status: 500 });
    sim.fault({ method: 'get', path: '/api/v1/servers/12346/', status: 500 });
    expect((await call(sim, 'GET', '/servers/12345/')).status).toBe(200);
    expect((await call(sim, 'GET', '/servers/12346/')).status).toBe(500);
  });

  it('sends a string body raw, so a test can send malformed JSON', async () => {
    sim.fault({ method: 'GET', path: ONE, status: 200, body: '{"id": 12345, "name": ' });
    const res = await call(sim, 'GET', '/servers/12345/');
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"id": 12345, "name": ');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('sends a JSON body as given', async () => {
    sim.fault({ method: 'POST', path: SERVERS, status: 400, body: { error: 'odd' } });
    const res = await call(sim, 'POST', '/servers/', { body: {} });
    expect(res.json).toEqual({ error: 'odd' });
  });

  it('applies before auth, and records the request either way', async () => {
    sim.fault({ method: 'GET', path: SERVERS, status: 503 });
    const res = await call(sim, 'GET', '/servers/', { token: null });
    expect(res.status).toBe(503);
    expect(sim.requests).toMatchObject([{ authorized: false, status: 503 }]);
  });

  it('adds headers to the normal answer when there is no status', async () => {
    sim.fault({ method: 'GET', path: SERVERS, headers: { 'X-RateLimit-Remaining': '0' } });
    const res = await call(sim, 'GET', '/servers/');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('hangs, then answers normally', async () => {
    sim.fault({ method: 'GET', path: ONE, hangMs: 120 });
    const started = Date.now();
    const res = await call(sim, 'GET', '/servers/12345/');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('hangs, then answers the fault status', async () => {
    sim.fault({ method: 'GET', path: ONE, hangMs: 60, status: 504 });
    expect((await call(sim, 'GET', '/servers/12345/')).status).toBe(504);
  });

  it('stops hanging when the client gives up, recording no answer', async () => {
    sim.fault({ method: 'GET', path: ONE, hangMs: 10_000 });
    const gaveUp = fetch(`${sim.baseUrl}/servers/12345/`, {
      headers: { Authorization: `Bearer ${sim.token}` },
      signal: AbortSignal.timeout(50),
    });
    await expect(gaveUp).rejects.toThrow();
    const recorded = await sim.waitForRequest((r) => r.path === ONE, 2000);
    expect(recorded.status).toBe(0);
  });

  it('resets the connection without answering', async () => {
    sim.fault({ method: 'POST', path: '/api/v1/servers/12347/start/', reset: true });
    await expect(call(sim, 'POST', '/servers/12347/start/')).rejects.toThrow(TypeError);
    const recorded = await sim.waitForRequest((r) => r.path.endsWith('/start/'));
    expect(recorded.status).toBe(0);
    expect(sim.server(12347)?.status).toBe('stopped');
    expect((await call(sim, 'GET', '/servers/')).status).toBe(200);
  });

  it('refuses a rule that makes no sense', () => {
    expect(() => sim.fault({ method: 'GET', path: 'servers', status: 500 })).toThrow(/path/);
    expect(() => sim.fault({ method: 'GET', path: SERVERS })).toThrow(/at least one/);
    expect(() => sim.fault({ method: 'GET', path: SERVERS, status: 42 })).toThrow(/status/);
    expect(() => sim.fault({ method: 'GET', path: SERVERS, status: 500, reset: true })).toThrow(/not both/);
    expect(() => sim.fault({ method: 'GET', path: SERVERS, status: 500, times: 0 })).toThrow(/times/);
  });

  it('is cleared by reset', async () => {
    sim.fault({ method: '*', path: /./, status: 500, times: 5 });
    sim.reset();
    expect((await call(sim, 'GET', '/servers/')).status).toBe(200);
  });
});

describe('latency', () => {
  it('delays every API answer until reset', async () => {
    sim.setLatency(200);
    let started = Date.now();
    expect((await call(sim, 'GET', '/servers/')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    // VPS.org's own time, as the request log tells it: what a benchmark subtracts to leave the client's.
    const answered = sim.requests.at(-1)?.answeredAfterMs ?? 0;
    expect(answered).toBeGreaterThanOrEqual(195);
    expect(answered).toBeLessThanOrEqual(Date.now() - started + 1);
    sim.reset();
    started = Date.now();
    await call(sim, 'GET', '/servers/');
    expect(Date.now() - started).toBeLessThan(150);
  });
});

describe('request log', () => {
  it('resolves waitForRequest on a request already recorded', async () => {
    await call(sim, 'GET', '/servers/12346/');
    const found = await sim.waitForRequest((r) => r.path === '/api/v1/servers/12346/', 100);
    expect(found).toMatchObject({ method: 'GET', status: 200 });
  });

  it('resolves waitForRequest on a future request, after it is answered', async () => {
    const waiting = sim.waitForRequest((r) => r.method === 'POST' && r.path.endsWith('/stop/'));
    await call(sim, 'GET', '/servers/');
    await call(sim, 'POST', '/servers/12345/stop/');
    const found = await waiting;
    expect(found).toMatchObject({
      method: 'POST',
      path: '/api/v1/servers/12345/stop/',
      status: 200,
      body: undefined,
    });
  });

  it('rejects waitForRequest after the timeout with a clear message', async () => {
    await call(sim, 'GET', '/servers/');
    await expect(sim.waitForRequest((r) => r.method === 'DELETE', 50)).rejects.toThrow(
      /no matching request within 50 ms.*GET \/api\/v1\/servers\/ -> 200/,
    );
  });

  it("emits 'request' after each answer, also through `events`", async () => {
    const seen: RecordedRequest[] = [];
    const listener = (r: RecordedRequest) => seen.push(r);
    sim.on('request', listener);
    expect(sim.events).toBe(sim);
    await call(sim, 'PATCH', '/servers/12345/', { body: { name: 'renamed' } });
    sim.off('request', listener);
    expect(seen).toEqual([
      expect.objectContaining({ method: 'PATCH', body: { name: 'renamed' }, status: 200, authorized: true }),
    ]);
    expect(seen[0]?.at).toBeLessThanOrEqual(Date.now());
  });

  it('does not record control requests, and clearRequests empties the log', async () => {
    await call(sim, 'GET', '/servers/');
    await fetch(`${sim.origin}/_sim/servers`);
    expect(sim.requests).toHaveLength(1);
    const log = sim.requests;
    sim.clearRequests();
    expect(log).toHaveLength(0);
  });
});

describe('lifecycle', () => {
  it('closes at once even with a hanging request and an idle keep-alive connection', async () => {
    const own = new Simulator();
    expect(() => own.baseUrl).toThrow(/not listening/);
    await own.listen();
    expect(own.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(own.origin).toBe(own.baseUrl.replace('/api/v1', ''));
    await call(own, 'GET', '/servers/');
    own.fault({ method: 'GET', path: ONE, hangMs: 30_000 });
    const hanging = call(own, 'GET', '/servers/12345/').catch((error: unknown) => error);
    while (own.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await hanging).toBeInstanceOf(TypeError);
    await own.close();
  });

  it('can listen again after closing, keeping its state', async () => {
    const own = new Simulator({ seed: false });
    await own.listen();
    own.addServer({ name: 'kept' });
    await own.close();
    await own.listen();
    const res = await call<'list'>(own, 'GET', '/servers/');
    expect(res.json.results.map((s) => s.name)).toEqual(['kept']);
    await own.close();
  });
});
