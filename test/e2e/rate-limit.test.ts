import { describe, expect, it } from 'vitest';
import { ask as askVia, type Harness, useHarness } from './harness.js';

let h: Harness;
// Room for a busy machine: a command waits out a 1 s Retry-After within its time limit.
useHarness(
  (started) => {
    h = started;
  },
  { env: { VPS_API_TIMEOUT_SECONDS: '5' } },
);

const START = '/api/v1/servers/12347/start/';
const RATE_LIMITED = 'VPS.org is rate limiting the bot; nothing changed. Try again in a minute.';
const ask = (text: string) => askVia(h.slack, text);

// In this order: the last test leaves the bot waiting out a long Retry-After.
describe('VPS.org answers 429', () => {
  it('the whole bot waits it out: a command asked meanwhile is answered once VPS.org allows', async () => {
    h.sim.fault({ method: 'POST', path: START, status: 429, headers: { 'Retry-After': '1' } });
    expect((await ask('start staging-01')).text).toContain(RATE_LIMITED);
    const limited = h.sim.requests.find((r) => r.status === 429);
    const shown = await ask('show 12346');
    expect(shown.text).toContain('db-server-01');
    const after = h.sim.requests.filter((r) => r.path === '/api/v1/servers/12346/');
    expect(after).toHaveLength(1);
    // Retry-After is whole seconds; allow the clock's rounding.
    expect((after[0]?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a wait longer than the time limit: told plainly, at once, and nothing is sent', async () => {
    h.sim.fault({ method: 'POST', path: START, status: 429, headers: { 'Retry-After': '60' } });
    expect((await ask('start staging-01')).text).toContain(RATE_LIMITED);
    h.sim.clearRequests();
    expect((await ask('show 12346')).text).toContain(RATE_LIMITED);
    expect((await ask('list')).text).toContain(RATE_LIMITED);
    expect(h.sim.requests).toEqual([]);
  });
});
