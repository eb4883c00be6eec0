import { describe, expect, it } from 'vitest';
import { Health } from '../../src/health.js';

describe('Health', () => {
  it('is healthy when no condition fails, and says which fail and why', () => {
    const health = new Health();
    expect(health.report()).toEqual({ ok: true });
    expect(health.fail('slack_token', 'revoked')).toBe(true);
    expect(health.fail('store', 'unreachable')).toBe(true);
    expect(health.report()).toEqual({ ok: false, failing: { slack_token: 'revoked', store: 'unreachable' } });
    expect(health.pass('store')).toBe(true);
    expect(health.report()).toEqual({ ok: false, failing: { slack_token: 'revoked' } });
  });

  it('tells only changes: the same failure twice, or a pass when passing, is no news', () => {
    const health = new Health();
    expect(health.pass('slack_token')).toBe(false);
    expect(health.fail('slack_token', 'revoked')).toBe(true);
    expect(health.fail('slack_token', 'revoked')).toBe(false);
    expect(health.fail('slack_token', 'inactive')).toBe(true);
    expect(health.pass('slack_token')).toBe(true);
    expect(health.pass('slack_token')).toBe(false);
    expect(health.ok).toBe(true);
  });

  it('asks a probed condition at each report: failing while its check says why, passing again after', () => {
    const health = new Health();
    let reachable = true;
    health.probe('state_store', () => (reachable ? undefined : 'unreachable'));
    expect(health.report()).toEqual({ ok: true });
    reachable = false;
    expect(health.ok).toBe(false);
    health.fail('serving', 'stopping');
    expect(health.report()).toEqual({
      ok: false,
      failing: { state_store: 'unreachable', serving: 'stopping' },
    });
    reachable = true;
    health.pass('serving');
    expect(health.report()).toEqual({ ok: true });
  });
});
