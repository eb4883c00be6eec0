import { describe, expect, it } from 'vitest';
import { RateWindow } from '../../src/slack/rate-window.js';

describe('RateWindow: at most N a minute', () => {
  it('leaves room for N, then none until the oldest is a minute old', () => {
    const clock = { now: 0 };
    const rate = new RateWindow(3, () => clock.now);
    expect(rate.room()).toBe(3);
    rate.spend();
    clock.now = 10_000;
    rate.spend();
    rate.spend();
    expect(rate.room()).toBe(0);
    clock.now = 59_999;
    expect(rate.room()).toBe(0);
    clock.now = 60_000;
    expect(rate.room()).toBe(1);
    clock.now = 70_000;
    expect(rate.room()).toBe(3);
  });
});
