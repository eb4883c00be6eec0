import { describe, expect, it } from 'vitest';
import { type Harness, textOf, useHarness } from './harness.js';

let h: Harness;
useHarness((started) => {
  h = started;
});

// The busy channel's card waits this long (Slack's Retry-After); the quiet one must not.
const RETRY_AFTER_SECONDS = 4;
const WELL_BEFORE_MS = 3000;

describe('chat.update answering 429 with Retry-After in one channel', () => {
  it('the other server’s card still settles on time, then the limited one ends right too', async () => {
    const [busy, quiet] = h.sim.addServers(2, { status: 'stopped' });
    if (!busy || !quiet) throw new Error('no servers');
    const lift = h.slack.rateLimitNext('chat.update', RETRY_AFTER_SECONDS, {
      times: 1000,
      match: (args) => args.channel === 'C0BUSY',
    });
    await h.slack.command({ text: `start ${busy.id}`, channel: 'C0BUSY' });
    // The busy card's first update is refused: the bot now waits out the Retry-After.
    await h.slack.waitFor('chat.update', (c) => c.args.channel === 'C0BUSY' && c.status === 429);

    await h.slack.command({ text: `start ${quiet.id}`, channel: 'C0QUIET' });
    const settledInTime = { timeoutMs: WELL_BEFORE_MS };
    await h.slack.waitFor(
      'chat.update',
      (c) => c.args.channel === 'C0QUIET' && c.status === 200 && /Settled/.test(textOf(c)),
      settledInTime,
    );
    await h.slack.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === 'C0QUIET' && c.args.thread_ts !== undefined,
      settledInTime,
    );
    // Meanwhile nothing got through to the busy channel: its card is still waiting.
    expect(
      h.slack.callsTo('chat.update').filter((c) => c.args.channel === 'C0BUSY' && c.status === 200),
    ).toEqual([]);

    lift();
    await h.quiet();
    const [card] = h.slack.messages('C0BUSY');
    expect(textOf({ args: { ...card } })).toContain('Settled: :large_green_circle: active');
    const outcome = h.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'C0BUSY' && c.args.thread_ts === card?.ts);
    expect(outcome.map(textOf)).toEqual([expect.stringContaining('is now :large_green_circle: active')]);
    // Its updates went out in order: every one after the last refusal, the settled one last.
    const updates = h.slack.callsTo('chat.update').filter((c) => c.args.channel === 'C0BUSY');
    expect(updates.at(-1)?.status).toBe(200);
    expect(textOf(updates.at(-1))).toContain('Settled');
  });
});
