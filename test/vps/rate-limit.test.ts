import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { errorSentence } from '../../src/slack/blocks/sentences.js';
import { VpsClient, type VpsClientOptions } from '../../src/vps/client.js';
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
    expect(pauseAfter429(answer('-5'), 300)).toBe(0);
  });
});
