import { describe, expect, it, vi } from 'vitest';
import type { Confirmation, FleetState, TrackedChange } from '../../src/records.js';
import { textValue } from '../../src/slack-standin/index.js';
import { MemoryStore } from '../../src/store/memory.js';
import { ask, clickReply, type Harness, replyTo, textOf, useHarness } from './harness.js';

/** A real store whose writes can be made to fail, as a full disk would. */
class FailingStore extends MemoryStore {
  failFleet = false;
  failTracked = false;
  failReads = false;

  override async saveFleetState(state: FleetState): Promise<void> {
    if (this.failFleet) throw new Error('ENOSPC: no space left on device');
    return super.saveFleetState(state);
  }

  // The bot's own changes are the fleet watch's bookkeeping too: noted in the store for every replica.
  override async noteOwnChange(serverId: number, server: { name: string; status: string } | undefined) {
    if (this.failFleet) throw new Error('ENOSPC: no space left on device');
    return super.noteOwnChange(serverId, server);
  }

  override async saveTracked(change: TrackedChange): Promise<void> {
    if (this.failTracked) throw new Error('ENOSPC: no space left on device');
    return super.saveTracked(change);
  }

  override async getConfirmation(id: string): Promise<Confirmation | undefined> {
    if (this.failReads) throw new Error('EIO: i/o error');
    return super.getConfirmation(id);
  }
}

const store = new FailingStore();
let h: Harness;
useHarness(
  (started) => {
    h = started;
  },
  { store, env: { VPS_NOTIFY_CHANNEL: 'C0OPS', VPS_WATCH_SECONDS: '3600' } },
);

const changes = () => h.sim.requests.filter((r) => r.method !== 'GET');

async function startAndSettle() {
  const sent = await h.slack.command({ text: 'start staging-01' });
  const card = await h.slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === undefined);
  const ts = (card.response as { ts: string }).ts;
  const settled = await h.slack.waitFor('chat.update', (c) => c.args.ts === ts && /Settled/.test(textOf(c)), {
    timeoutMs: 5000,
  });
  const outcome = await h.slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts);
  return { sent, card, settled, outcome };
}

describe('a change that reached VPS.org is a done change, whatever the bookkeeping after it does', () => {
  it('the fleet watch’s state failing to save: audited ok once, no failure told, the card still settles', async () => {
    // The watch has had its first look, so the bot's own change would be written into its snapshot.
    await vi.waitFor(async () => expect((await store.fleetState()).snapshot).toBeDefined());
    store.failFleet = true;
    try {
      const { sent, outcome } = await startAndSettle();
      expect(textOf(outcome)).toContain('staging-01* is now :large_green_circle: active');
      await h.idle();
      const replies = h.slack.callsTo('response_url').filter((c) => c.args.url === sent.responseUrl);
      expect(replies.map(textOf).join('\n')).not.toMatch(/Something went wrong|failed/);
      const trail = await store.auditTrail({ id: 12347 }, 10);
      expect(trail.map((entry) => entry.outcome)).toEqual(['ok']);
      expect(h.logText()).toContain('bookkeeping after a change failed');
      expect(h.logText()).toContain('could not tell the fleet watch of a settled change');
      expect(changes().map((r) => r.path)).toEqual(['/api/v1/servers/12347/start/']);
    } finally {
      store.failFleet = false;
    }
  });

  it('the followed server failing to save: it is followed anyway and its card settles', async () => {
    store.failTracked = true;
    try {
      const { outcome } = await startAndSettle();
      expect(textOf(outcome)).toContain('is now :large_green_circle: active');
      expect(h.logText()).toContain('could not store a followed server');
    } finally {
      store.failTracked = false;
    }
  });
});

describe('every change reaches the person who asked', () => {
  it('/vps start whose channel card cannot be posted tells the person it was done', async () => {
    h.slack.failNext('chat.postMessage', 'internal_error');
    const { text } = await ask(h.slack, 'start staging-01');
    expect(text).toContain('Done: start *staging-01*');
    expect(text).toContain('could not post its card');
    expect(changes().map((r) => r.path)).toEqual(['/api/v1/servers/12347/start/']);
  });
});

describe('a form whose submission fails says so in the modal', () => {
  it('shows the error in the modal instead of closing it silently', async () => {
    await h.slack.command({ text: 'delete staging-01' });
    const update = await h.slack.waitFor('views.update', (c) => textOf(c).includes('Type staging-01'));
    const view = h.slack.view(String(update.args.view_id));
    if (!view) throw new Error('no modal');
    store.failReads = true;
    try {
      const submitted = await h.slack.submitView({
        view,
        values: { confirm_name: { value: textValue('staging-01') } },
      });
      expect(submitted.json).toMatchObject({ response_action: 'update' });
      expect(JSON.stringify(submitted.json)).toContain('Something went wrong inside vps-bot');
    } finally {
      store.failReads = false;
    }
    expect(h.logText()).toContain('form submission failed');
    expect(changes()).toEqual([]);
  });
});

describe('help can be shared like the other lookups', () => {
  it('/vps help has a Share in channel button that posts it for everyone', async () => {
    const help = await ask(h.slack, 'help');
    expect(h.slack.buttons(help.blocks).map((b) => b.actionId)).toEqual(['vps.share']);
    const click = await clickReply(h.slack, help, 'vps.share');
    const shared = await replyTo(h.slack, click.responseUrl ?? help.sent.responseUrl, 1);
    expect(shared.args.response_type).toBe('in_channel');
    expect(textOf(shared)).toContain('vps-bot: your VPS.org servers from Slack');
    expect(textOf(shared)).toContain('Shared by <@U0ALICE>');
  });
});
