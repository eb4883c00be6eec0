import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { errorSentence } from '../../src/slack/blocks/sentences.js';
import { VpsClient, type VpsClientOptions } from '../../src/vps/client.js';
import { RequestGate } from '../../src/vps/gate.js';
import { pauseAfter429 } from '../../src/vps/rate-limit.js';

const sim = new Simulator({ settleMs: 5000 });
const ONE = '/api/v1/servers/12345/';

function makeClient(overrides: Partial<VpsClientOptions> = {}): VpsClient {
  return new VpsClient({
    baseUrl: sim.baseUrl,
    token: sim.token,
    timeoutMs: 2000,
    retry: { delayMs: () => 20 },
    ...overrides,
  });
}

beforeAll(() => sim.listen());
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('a 429 slows every request of the process, not only its own', () => {
  it('with Retry-After: nothing else is sent until it has passed, changes included; then all are answered', async () => {
    const client = makeClient();
    sim.fault({ method: 'POST', path: `${ONE}stop/`, status: 429, headers: { 'Retry-After': '1' } });
    // A POST is never retried: once it has failed, the client has read the 429.
    expect(await client.stop(12345).catch((error: unknown) => error)).toMatchObject({ kind: 'rate_limited' });
    const [answered429] = sim.requests;
    const [server, list] = await Promise.all([client.get(12346), client.list(), client.start(12347)]);
    expect([server.id, list.length]).toEqual([12346, 3]);
    const after = sim.requests.slice(1);
    expect(after.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/v1/servers/',
      'GET /api/v1/servers/12346/',
      'POST /api/v1/servers/12347/start/',
    ]);
    // Retry-After is whole seconds; allow the clock's rounding.
    for (const request of after) expect(request.at - (answered429?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('without Retry-After: as long as the client would back off before retrying', async () => {
    const client = makeClient({ retry: { delayMs: () => 400 } });
    sim.fault({ method: 'POST', path: `${ONE}stop/`, status: 429 });
    const refused = await client.stop(12345).catch((error: unknown) => error);
    // A POST is never retried: it fails, and it still slows everything else.
    expect(refused).toMatchObject({ kind: 'rate_limited', status: 429 });
    const answered429 = sim.requests[0];
    await client.get(12346);
    expect(sim.requests).toHaveLength(2);
    expect((sim.requests[1]?.at ?? 0) - (answered429?.at ?? 0)).toBeGreaterThanOrEqual(380);
  });

  it('a wait longer than the time limit: told plainly that VPS.org is rate limiting, at once, nothing sent', async () => {
    const client = makeClient({ timeoutMs: 5000 });
    sim.fault({ method: 'GET', path: ONE, status: 429, headers: { 'Retry-After': '30' } });
    const limited = await client.get(12345).catch((error: unknown) => error);
    // Not retried: the wait is longer than the request may take.
    expect(limited).toMatchObject({ kind: 'rate_limited', status: 429 });
    const started = performance.now();
    const waiting = await Promise.all(
      [client.get(12346), client.list(), client.start(12347)].map((p) => p.catch((error: unknown) => error)),
    );
    // At once, not at the end of the 5 s each may wait.
    expect(performance.now() - started).toBeLessThan(2500);
    for (const error of waiting) {
      expect(error).toMatchObject({ kind: 'rate_limited', sent: false });
      expect(errorSentence(error)).toBe(
        'VPS.org is rate limiting the bot; nothing changed. Try again in a minute.',
      );
    }
    expect(sim.requests).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as a date, and caps the pause', () => {
    const answer = (value?: string) =>
      new Response(null, { status: 429, headers: value === undefined ? {} : { 'Retry-After': value } });
    expect(pauseAfter429(answer('2'), 300)).toBe(2000);
    expect(pauseAfter429(answer('0'), 300)).toBe(0);
    expect(pauseAfter429(answer(), 300)).toBe(300);
    expect(pauseAfter429(answer('soon'), 300)).toBe(300);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(pauseAfter429(answer('Thu, 01 Jan 2026 00:00:05 GMT'), 300, now)).toBe(5000);
    expect(pauseAfter429(answer('86400'), 300)).toBe(60_000);
    // Not a wait at all: as if there were none, the backoff. A date already past is no wait.
    for (const garbage of ['-5', 'foo 1', '0x10', '1e3', '12 soon', 'Infinity']) {
      expect(pauseAfter429(answer(garbage), 300)).toBe(300);
    }
    expect(pauseAfter429(answer('Wed, 31 Dec 2025 23:59:00 GMT'), 300, now)).toBe(0);
  });

  it.each(['soon', '-5', 'foo 1'])(
    'a Retry-After of %j counts as none: everything waits the backoff, and the retry no longer',
    async (value) => {
      const client = makeClient({ timeoutMs: 5000, retry: { delayMs: () => 300 } });
      sim.fault({ method: 'POST', path: `${ONE}stop/`, status: 429, headers: { 'Retry-After': value } });
      expect(await client.stop(12345).catch((error: unknown) => error)).toMatchObject({
        kind: 'rate_limited',
      });
      sim.fault({
        method: 'GET',
        path: '/api/v1/servers/12346/',
        status: 429,
        headers: { 'Retry-After': value },
      });
      expect((await client.get(12346)).id).toBe(12346);
      const [stop, limited, retried] = sim.requests;
      expect(sim.requests.map((r) => r.status)).toEqual([429, 429, 200]);
      // Paused for the backoff, not sent at once...
      expect((limited?.at ?? 0) - (stop?.at ?? 0)).toBeGreaterThanOrEqual(280);
      expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(280);
      // ...and not held for the whole time limit either.
      expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeLessThan(2500);
    },
  );
});

describe('a request already under way is not held by a pause longer than it may wait', () => {
  it('a retry behind another request’s long 429 is not made: the caller is answered at once', async () => {
    const client = makeClient({ timeoutMs: 2000 });
    sim.fault({ method: 'GET', path: ONE, status: 503, times: 1 });
    const hold = sim.hold({ method: 'GET', path: ONE, times: 1 });
    const first = client.get(12345).catch((error: unknown) => error);
    await hold.waitForHeld(1);
    sim.fault({
      method: 'GET',
      path: '/api/v1/servers/12346/',
      status: 429,
      headers: { 'Retry-After': '30' },
    });
    expect(await client.get(12346).catch((error: unknown) => error)).toMatchObject({ kind: 'rate_limited' });
    const released = performance.now();
    hold.release();
    expect(await first).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(performance.now() - released).toBeLessThan(1500);
    expect(sim.requests.filter((r) => r.path === ONE)).toHaveLength(1);
  });

  it('a DELETE whose retry a longer pause holds back may or may not have happened: its first try went out', async () => {
    const client = makeClient({ timeoutMs: 2000 });
    const OTHER = '/api/v1/servers/12347/';
    // A lookup that will answer 429 with a long Retry-After, held until the DELETE's retry is waiting.
    sim.fault({ method: 'GET', path: OTHER, status: 429, headers: { 'Retry-After': '30' } });
    const lateLimit = sim.hold({ method: 'GET', path: OTHER, times: 1 });
    const limited = client.get(12347).catch((error: unknown) => error);
    await lateLimit.waitForHeld(1);
    // The DELETE's first try fails with a 502 (retried), answered once a short pause has begun.
    sim.fault({ method: 'DELETE', path: ONE, status: 502, times: 1 });
    const deleteHeld = sim.hold({ method: 'DELETE', path: ONE, times: 1 });
    const deleted = client.delete(12345).catch((error: unknown) => error);
    await deleteHeld.waitForHeld(1);
    sim.fault({
      method: 'GET',
      path: '/api/v1/servers/12346/',
      status: 429,
      headers: { 'Retry-After': '1' },
    });
    const shortLimit = client.get(12346).catch((error: unknown) => error);
    await sim.waitForRequest((r) => r.path === '/api/v1/servers/12346/' && r.status === 429);
    deleteHeld.release();
    // Its retry now waits out the 1 s pause; the long 429 makes that wait too long.
    await sim.waitForRequest((r) => r.method === 'DELETE' && r.status === 502);
    lateLimit.release();
    expect(await limited).toMatchObject({ kind: 'rate_limited' });
    const error = await deleted;
    expect(error).toMatchObject({ kind: 'rate_limited', sent: true, outcomeUnknown: true });
    const sentence = errorSentence(error, 'delete', 'web-server-01');
    expect(sentence).toContain('may or may not have happened');
    expect(sentence).not.toMatch(/nothing changed/i);
    expect(sim.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    // The lookup's own retry is held back by the long pause too: told at once, as rate limited.
    expect(await shortLimit).toMatchObject({ kind: 'rate_limited' });
  });

  it('an attempt waiting out a short pause is refused as soon as the pause grows past its bound', async () => {
    const gate = new RequestGate({ maxInFlight: 1, maxWaiting: 1, timeoutMs: 2000 });
    gate.pause(1000);
    const waiting = gate.whenAllowed(2000, () => new Error('rate limited for too long'));
    const started = performance.now();
    gate.pause(30_000);
    await expect(waiting).rejects.toThrow('rate limited for too long');
    expect(performance.now() - started).toBeLessThan(500);
    // One that may wait as long still waits, and goes when VPS.org allows.
    let refused = false;
    gate
      .whenAllowed(60_000, () => new Error('never'))
      ?.catch(() => {
        refused = true;
      });
    gate.pause(40_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(refused).toBe(false);
  });

  it('a list’s next page during a long pause is refused as rate limited, not held for 30 s', async () => {
    const client = makeClient({ timeoutMs: 2000 });
    sim.setPageSize(1);
    const hold = sim.hold({ method: 'GET', path: '/api/v1/servers/', times: 1 });
    const list = client.list().catch((error: unknown) => error);
    await hold.waitForHeld(1);
    sim.fault({
      method: 'GET',
      path: '/api/v1/servers/12346/',
      status: 429,
      headers: { 'Retry-After': '30' },
    });
    await client.get(12346).catch(() => {});
    const released = performance.now();
    hold.release();
    const error = await list;
    expect(error).toMatchObject({ kind: 'rate_limited', operation: 'GET /servers/' });
    expect(errorSentence(error)).toBe(
      'VPS.org is rate limiting the bot; nothing changed. Try again in a minute.',
    );
    expect(performance.now() - released).toBeLessThan(1500);
    expect(sim.requests.filter((r) => r.path === '/api/v1/servers/')).toHaveLength(1);
  });
});

describe('a 503’s Retry-After times its own retry, read as strictly', () => {
  const retried = async (value: string) => {
    const client = makeClient({ timeoutMs: 5000, retry: { delayMs: () => 300 } });
    sim.fault({ method: 'GET', path: ONE, status: 503, headers: { 'Retry-After': value } });
    const answer = await client.get(12345).catch((error: unknown) => error);
    const [first, second] = sim.requests;
    return { answer, count: sim.requests.length, waited: (second?.at ?? 0) - (first?.at ?? 0) };
  };

  it('a readable one is waited', async () => {
    const { count, waited } = await retried('1');
    expect(count).toBe(2);
    expect(waited).toBeGreaterThanOrEqual(950);
  });

  it.each(['soon', '-5'])(
    '%j counts as none: the backoff, not the whole time limit nor no wait',
    async (value) => {
      const { count, waited } = await retried(value);
      expect(count).toBe(2);
      expect(waited).toBeGreaterThanOrEqual(280);
      expect(waited).toBeLessThan(2500);
    },
  );

  it('one longer than the request may wait: not retried, told at once', async () => {
    const started = performance.now();
    const { answer, count } = await retried('99999');
    expect(answer).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(count).toBe(1);
    expect(performance.now() - started).toBeLessThan(2500);
  });
});
