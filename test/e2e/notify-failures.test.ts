import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Call } from '../../src/slack-standin/index.js';
import { emptyFleetState } from '../../src/store/store.js';
import { ask, type Harness, startHarness, textOf } from './harness.js';

const NOTIFY = 'C0NOTIFY';
let h: Harness;
let logsBefore = 0;

beforeAll(async () => {
  // Each test looks when it wants to, with `look()`.
  h = await startHarness({
    env: { VPS_NOTIFY_CHANNEL: NOTIFY, VPS_WATCH_SECONDS: '3600', VPS_OPERATORS: 'U0ALICE' },
  });
});
afterAll(() => h?.stop());
beforeEach(async () => {
  await h.quiet();
  h.sim.reset();
  for (const s of await h.store.subscriptions()) await h.store.removeSubscription(s.channelId, s.serverId);
  await h.store.saveFleetState(emptyFleetState());
  await h.bot.watch.look();
  h.slack.reset();
  logsBefore = h.logs.length;
});

/** Status notifications the bot tried to post in a channel (answered or refused). */
function tried(channel: string): Call[] {
  return h.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && /fleet watch/.test(textOf(c)));
}

/** Warnings and errors about a channel since the test began (not the audit lines of subscribing). */
function linesAbout(channel: string) {
  return h.logs
    .slice(logsBefore)
    .filter((line) => line.channel === channel && (line.level === 'warn' || line.level === 'error'));
}

/** Two servers change status behind the bot's back; the watch looks once. */
async function twoChanges(status = 'stopped') {
  h.sim.setStatus(12345, status);
  h.sim.setStatus(12346, status);
  await h.bot.watch.look();
}

describe('VPS_NOTIFY_CHANNEL that the bot cannot post in', () => {
  it('not_in_channel: one clear log line a look, not one a notification', async () => {
    h.slack.failNext('chat.postMessage', 'not_in_channel', { times: 10, match: (a) => a.channel === NOTIFY });
    await twoChanges();
    expect(tried(NOTIFY)).toHaveLength(1);
    expect(linesAbout(NOTIFY)).toEqual([
      expect.objectContaining({
        level: 'warn',
        reason: 'not_in_channel',
        msg: 'cannot post status notifications in VPS_NOTIFY_CHANNEL C0NOTIFY (not_in_channel): invite the bot to it',
      }),
    ]);
  });

  it('is_archived: says to change the setting; there is no fallback', async () => {
    h.slack.failNext('chat.postMessage', 'is_archived', { match: (a) => a.channel === NOTIFY });
    await twoChanges();
    expect(linesAbout(NOTIFY)).toEqual([
      expect.objectContaining({
        msg: 'VPS_NOTIFY_CHANNEL C0NOTIFY is gone (is_archived): set VPS_NOTIFY_CHANNEL to a channel the bot can post in',
      }),
    ]);
  });
});

describe('a subscribed channel', () => {
  for (const code of ['channel_not_found', 'is_archived']) {
    it(`${code}: its subscriptions are dropped through the store, with one log line, and not tried again`, async () => {
      await ask(h.slack, 'subscribe', 'U0ALICE', 'C0GONE');
      await ask(h.slack, 'subscribe db-server-01', 'U0ALICE', 'C0GONE');
      await ask(h.slack, 'subscribe', 'U0ALICE', 'C0OPS');
      h.slack.failNext('chat.postMessage', code, { times: 10, match: (a) => a.channel === 'C0GONE' });
      await twoChanges();
      expect(tried('C0GONE')).toHaveLength(1);
      expect((await h.store.subscriptions()).map((s) => s.channelId)).toEqual(['C0OPS']);
      expect(linesAbout('C0GONE')).toEqual([
        expect.objectContaining({
          level: 'warn',
          reason: code,
          dropped: 2,
          msg: `channel C0GONE is gone (${code}): dropped its 2 status subscriptions`,
        }),
      ]);
      // The others still hear, and the next change is not tried in the gone channel.
      expect(tried(NOTIFY)).toHaveLength(2);
      expect(tried('C0OPS')).toHaveLength(2);
      await twoChanges('active');
      expect(tried('C0GONE')).toHaveLength(1);
      expect(tried('C0OPS')).toHaveLength(4);
    });
  }

  it('not_in_channel: kept (inviting the bot fixes it), with one log line saying so', async () => {
    await ask(h.slack, 'subscribe', 'U0ALICE', 'C0SHY');
    h.slack.failNext('chat.postMessage', 'not_in_channel', {
      times: 10,
      match: (a) => a.channel === 'C0SHY',
    });
    await twoChanges();
    expect((await h.store.subscriptions()).map((s) => s.channelId)).toEqual(['C0SHY']);
    expect(linesAbout('C0SHY')).toEqual([
      expect.objectContaining({
        msg: 'cannot post status notifications in channel C0SHY (not_in_channel): invite the bot, or unsubscribe there',
      }),
    ]);
  });
});
