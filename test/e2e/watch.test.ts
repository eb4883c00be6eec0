import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Call } from '../../src/slack-standin/index.js';
import { emptyFleetState } from '../../src/store/store.js';
import { ask as askVia, clickReply, type Harness, startHarness, textOf } from './harness.js';

const NOTIFY = 'C0NOTIFY';
let h: Harness;

beforeAll(async () => {
  // A long watch interval: each test looks when it wants to, with `look()`.
  h = await startHarness({
    env: { VPS_NOTIFY_CHANNEL: NOTIFY, VPS_WATCH_SECONDS: '3600', VPS_OPERATORS: 'U0ALICE' },
  });
  // Nor does its first look at start overlap a test's: two looks at once would tell a change twice.
  await h.bot.watch.stop();
});
afterAll(() => h?.stop());
beforeEach(async () => {
  await h.quiet();
  h.sim.reset();
  // A clean slate: no subscriptions, and a fresh first look as the baseline.
  for (const s of await h.store.subscriptions()) await h.store.removeSubscription(s.channelId, s.serverId);
  await h.store.saveFleetState(emptyFleetState());
  await h.bot.watch.look();
  h.slack.reset();
});

/** Status notifications posted (not thread replies, not change cards) in a channel since the last reset. */
function notices(channel: string): Call[] {
  return h.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && /fleet watch/.test(textOf(c)));
}

const ask = (text: string, user?: string, channel?: string) => askVia(h.slack, text, user, channel);

describe('the fleet watch', () => {
  it('tells a status change made outside Slack, with Show and Start buttons', async () => {
    h.sim.setStatus(12345, 'stopped');
    await h.bot.watch.look();
    const [notice, ...more] = notices(NOTIFY);
    expect(more).toEqual([]);
    expect(textOf(notice)).toContain('*web-server-01*: :large_green_circle: active → :red_circle: stopped');
    expect(h.slack.buttons(notice?.args.blocks as unknown[]).map((b) => b.actionId)).toEqual([
      'vps.show.12345',
      'vps.start',
    ]);
    // Nothing changed since: nothing more is told.
    await h.bot.watch.look();
    expect(notices(NOTIFY)).toHaveLength(1);
  });

  it('tells a server that appeared and one that disappeared', async () => {
    const added = h.sim.addServer({ name: 'newcomer', status: 'active' });
    h.sim.removeServer(12346);
    await h.bot.watch.look();
    const texts = notices(NOTIFY).map(textOf);
    expect(texts).toHaveLength(2);
    expect(texts.find((t) => t.includes('newcomer'))).toContain(':new: *newcomer* appeared');
    expect(texts.find((t) => t.includes('db-server-01'))).toContain(
      ':wastebasket: *db-server-01* disappeared (it was active)',
    );
    h.sim.removeServer(added.id);
  });

  it('sums up a flapping server in one message, updated in place, until it is steady', async () => {
    const statuses = ['stopped', 'active', 'stopped', 'active', 'stopped', 'active'];
    for (const status of statuses) {
      h.sim.setStatus(12345, status);
      await h.bot.watch.look();
    }
    const posted = notices(NOTIFY);
    // Three changes as they are, then one summary instead of a stream.
    expect(posted).toHaveLength(4);
    const summary = posted[3];
    expect(textOf(summary)).toMatch(/web-server-01\* is flapping: 4 status changes/);
    const ts = (summary?.response as { ts?: string } | undefined)?.ts;
    const updates = h.slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
    expect(updates).toHaveLength(2);
    expect(textOf(updates.at(-1))).toMatch(/6 status changes .* now :large_green_circle: active/);
    h.advance(11 * 60_000);
    await h.bot.watch.look();
    const steady = h.slack
      .callsTo('chat.update')
      .filter((c) => c.args.ts === ts)
      .at(-1);
    expect(textOf(steady)).toContain(
      '*web-server-01* is steady again: :large_green_circle: active, after 6 status changes',
    );
    expect(notices(NOTIFY)).toHaveLength(4);
  });

  it('does not announce the bot’s own changes a second time', async () => {
    const prompt = await ask('stop web-server-01');
    await clickReply(h.slack, prompt, 'vps.confirm');
    await h.bot.watch.look(); // while it is stopping, followed by its card
    await h.quiet();
    await h.bot.watch.look(); // once it has settled
    await h.slack.command({ text: 'rename staging-01 staging-02' });
    await h.slack.waitFor('chat.postMessage', (c) => textOf(c).includes('renamed *staging-01*'));
    await h.idle();
    await h.bot.watch.look();
    expect(h.slack.callsTo('chat.update').some((c) => /Settled: :red_circle: stopped/.test(textOf(c)))).toBe(
      true,
    );
    expect(notices(NOTIFY)).toEqual([]);
  });

  it('does not announce a server the bot created or deleted', async () => {
    const prompt = await ask('create fresh-01 plan=1 os=5 location=us-west');
    await clickReply(h.slack, prompt, 'vps.confirm');
    await h.quiet();
    await h.bot.watch.look();
    await h.slack.command({ text: 'delete fresh-01' });
    const update = await h.slack.waitFor('views.update', (c) =>
      JSON.stringify(c.args.view).includes('Type fresh-01'),
    );
    const view = h.slack.view(String(update.args.view_id));
    if (!view) throw new Error('no view');
    const { textValue } = await import('../../src/slack-standin/index.js');
    await h.slack.submitView({ view, values: { confirm_name: { value: textValue('fresh-01') } } });
    await h.quiet();
    await h.bot.watch.look();
    expect(h.sim.servers().some((s) => s.name === 'fresh-01')).toBe(false);
    expect(notices(NOTIFY)).toEqual([]);
  });
});

describe('subscriptions', () => {
  it('per channel and per server, beside VPS_NOTIFY_CHANNEL', async () => {
    const all = await ask('subscribe', 'U0ALICE', 'C0OPS');
    expect(all.reply.args.response_type).toBe('in_channel');
    expect(all.text).toContain(
      '<@U0ALICE> subscribed this channel to status notifications about all servers',
    );
    const one = await ask('subscribe db-server-01', 'U0ALICE', 'C0DB');
    expect(one.text).toContain('about *db-server-01*');
    expect((await ask('subscribe db-server-01', 'U0ALICE', 'C0DB')).text).toContain('already gets');
    h.sim.setStatus(12345, 'stopped');
    h.sim.setStatus(12346, 'stopped');
    await h.bot.watch.look();
    expect(notices(NOTIFY)).toHaveLength(2);
    expect(notices('C0OPS')).toHaveLength(2);
    expect(notices('C0DB').map(textOf)).toEqual([expect.stringContaining('db-server-01')]);
    const listed = await ask('subscriptions', 'U0BOB', 'C0DB');
    expect(listed.text).toContain('*db-server-01* (ID 12346)');
    expect(listed.text).toContain('by <@U0ALICE>');
    expect((await ask('subscriptions', 'U0BOB', NOTIFY)).text).toContain('as the VPS_NOTIFY_CHANNEL');
    await ask('unsubscribe db-server-01', 'U0ALICE', 'C0DB');
    await ask('unsubscribe', 'U0ALICE', 'C0OPS');
    expect((await ask('unsubscribe', 'U0ALICE', 'C0OPS')).text).toContain('is not subscribed to all servers');
    h.slack.reset();
    h.sim.setStatus(12346, 'active');
    await h.bot.watch.look();
    expect(notices('C0DB')).toEqual([]);
    expect(notices('C0OPS')).toEqual([]);
    expect(notices(NOTIFY)).toHaveLength(1);
  });

  it('only operators may subscribe or unsubscribe; anyone may list', async () => {
    expect((await ask('subscribe', 'U0BOB', 'C0OPS')).text).toContain('Only operators may change servers');
    expect((await ask('unsubscribe all', 'U0BOB', 'C0OPS')).text).toContain(
      'Only operators may change servers',
    );
    expect((await ask('subscriptions', 'U0BOB', 'C0OPS')).text).toContain('gets no status notifications');
    const audit = h.logs
      .filter((l) => l.event === 'audit' && l.user === 'U0BOB')
      .map((l) => [l.action, l.outcome]);
    expect(audit.slice(-2)).toEqual([
      ['subscribe', 'forbidden'],
      ['unsubscribe', 'forbidden'],
    ]);
  });
});

describe('history', () => {
  it('shows the last changes to a server: who, what, when, outcome', async () => {
    await h.slack.command({ text: 'rename staging-01 staging-09', user: 'U0ALICE' });
    await h.slack.waitFor('chat.postMessage', (c) => textOf(c).includes('renamed *staging-01*'));
    await ask('start staging-09', 'U0BOB');
    await h.quiet();
    const { text } = await ask('history staging-09', 'U0BOB');
    expect(text).toContain('*History of staging-09* (ID 12347), newest first');
    const lines = text.split('\n').filter((line) => line.startsWith('•'));
    expect(lines[0]).toContain('<@U0BOB> · *start* · :no_entry: refused (not an operator)');
    expect(lines[1]).toContain('<@U0ALICE> · *rename* `name=staging-09` · :white_check_mark: done');
  });

  it('keeps at most 20, and finds a deleted server by its ID', async () => {
    for (let i = 0; i < 22; i++) await ask(`stop staging-01`, 'U0BOB');
    const { text } = await ask('history 12347', 'U0BOB');
    expect(text.split('\n').filter((line) => line.startsWith('•'))).toHaveLength(20);
    h.sim.removeServer(12347);
    expect((await ask('history 12347', 'U0BOB')).text).toContain('History of staging-01');
    expect((await ask('history staging-01', 'U0BOB')).text).toContain('For a deleted server, give its ID');
  });
});
