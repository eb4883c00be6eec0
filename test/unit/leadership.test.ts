import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrackedChange } from '../../src/records.js';
import { Leadership } from '../../src/service/leadership.js';
import { Tracker, type TrackerEvents } from '../../src/service/tracker.js';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { Fence } from '../../src/store/store.js';
import type { VpsClient } from '../../src/vps/client.js';
import type { Server } from '../../src/vps/schemas.js';
import { collectLogger, useSimulator } from './helpers.js';

const { sim, vps: client } = useSimulator();
let vps: VpsClient;
beforeAll(() => {
  vps = client();
});

const started: Leadership[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((leadership) => leadership.stop()));
});

function leadership(store: MemoryStore, ttlMs: number) {
  const log = collectLogger();
  const onGained = vi.fn(async () => {});
  const lead = new Leadership({ store, logger: log.logger, ttlMs, onGained });
  started.push(lead);
  return { lead, onGained, log };
}

describe('Leadership', () => {
  it('one holder at a time; stopping hands the lease on at once, with a higher fencing token', async () => {
    const store = new MemoryStore();
    const a = leadership(store, 60_000);
    const b = leadership(store, 60_000);
    await a.lead.start();
    await b.lead.start();
    expect(a.lead.held).toBe(true);
    expect(b.lead.held).toBe(false);
    expect(a.onGained).toHaveBeenCalledTimes(1);
    expect(b.onGained).not.toHaveBeenCalled();
    const first = a.lead.fence();

    await a.lead.stop();
    expect(a.lead.fence()).toBeUndefined();
    await b.lead.attempt();
    expect(b.lead.held).toBe(true);
    expect(b.onGained).toHaveBeenCalledTimes(1);
    expect(b.lead.fence()?.token).toBeGreaterThan(first?.token ?? Number.POSITIVE_INFINITY);
  });

  it('takes over from a holder that died (stopped renewing) by itself, once its lease has run out', async () => {
    const store = new MemoryStore();
    // A holder that died: it took the lease and never renews it.
    const dead = await store.acquireLease('leader', 'dead-replica', 90);
    const b = leadership(store, 90);
    await b.lead.start();
    expect(b.lead.held).toBe(false);
    // b tries again every 30 ms on its own: no call from here makes it.
    await vi.waitFor(() => expect(b.lead.held).toBe(true), { timeout: 5000, interval: 10 });
    expect(b.lead.fence()?.token).toBeGreaterThan(dead ?? Number.POSITIVE_INFINITY);
    expect(b.onGained).toHaveBeenCalledTimes(1);
  });

  it('keeps its lease by renewing it, and stops acting when it cannot renew', async () => {
    const store = new MemoryStore();
    const a = leadership(store, 90);
    await a.lead.start();
    const token = a.lead.fence()?.token;
    // Several lease periods later, still the holder, with the same token.
    await vi.waitFor(async () => expect(await store.acquireLease('leader', 'other', 90)).toBeUndefined(), {
      timeout: 1000,
    });
    expect(a.lead.fence()?.token).toBe(token);
  });

  it('goes on renewing while its take-over work (a due schedule, a slow VPS.org) is still running', async () => {
    const store = new MemoryStore();
    const renewals = vi.spyOn(store, 'acquireLease');
    let finishTakeOver: () => void = () => undefined;
    const takeOver = new Promise<void>((resolve) => {
      finishTakeOver = resolve;
    });
    const log = collectLogger();
    const onGained = vi.fn(() => takeOver);
    const lead = new Leadership({ store, logger: log.logger, ttlMs: 90, onGained });
    started.push(lead);
    await lead.start();
    expect(onGained).toHaveBeenCalledTimes(1);
    // Several lease periods pass while the take-over is still busy: the lease is renewed all along.
    await vi.waitFor(() => expect(renewals.mock.calls.length).toBeGreaterThanOrEqual(6), {
      timeout: 3000,
      interval: 10,
    });
    expect(lead.held).toBe(true);
    expect(await store.acquireLease('leader', 'other', 90)).toBeUndefined();
    finishTakeOver();
    expect(onGained).toHaveBeenCalledTimes(1);
  });
});

/** The presenter's port, keeping which servers it was told settled. */
function recorder(): TrackerEvents & { settledIds: number[] } {
  const settledIds: number[] = [];
  return {
    settledIds,
    progress: async () => {},
    stuck: async () => {},
    settled: async (change: TrackedChange, _server: Server | undefined) => {
      settledIds.push(change.serverId);
    },
  };
}

describe('the tracker under a lease', () => {
  it('a holder that paused past its lease tells nothing: its fenced writes fail, the new holder settles once', async () => {
    const store = new MemoryStore();
    const [server] = sim.addServers(1, { status: 'stopped' });
    if (!server) throw new Error('no server');
    sim.setStatus(server.id, 'starting', { to: 'active', afterMs: 0 });
    const oldToken = await store.acquireLease('leader', 'old', 60_000);
    const oldFence: Fence = { lease: 'leader', token: oldToken ?? 0 };
    const tracker = (fence: () => Fence | undefined, events: TrackerEvents) =>
      new Tracker({
        vps,
        store,
        logger: collectLogger().logger,
        events,
        pollMs: 3_600_000,
        leader: { fence },
      });
    const oldEvents = recorder();
    const old = tracker(() => oldFence, oldEvents);
    await old.follow({
      serverId: server.id,
      serverName: server.name,
      action: 'start',
      actor: { userId: 'U0ALICE' },
      startedAt: Date.now(),
      status: 'starting',
    });
    // The lease passes on while the old holder is paused; it still believes it holds it.
    await store.releaseLease('leader', 'old');
    const newToken = await store.acquireLease('leader', 'new', 60_000);
    const newEvents = recorder();
    const next = tracker(() => ({ lease: 'leader', token: newToken ?? 0 }), newEvents);

    await old.pollOnce();
    expect(oldEvents.settledIds).toEqual([]);
    expect(await store.trackedChanges()).toHaveLength(1);
    await next.pollOnce();
    await next.pollOnce();
    await old.pollOnce();
    expect(newEvents.settledIds).toEqual([server.id]);
    expect(oldEvents.settledIds).toEqual([]);
    expect(await store.trackedChanges()).toEqual([]);
    await Promise.all([old.stop(), next.stop()]);
  });
});

/** A shared store that goes away (Redis stopped) while the tracker works. */
class FlakyStore extends MemoryStore {
  down = false;

  override async saveTracked(change: TrackedChange, fence?: Fence): Promise<void> {
    if (this.down) throw new StoreUnavailableError('not connected');
    return super.saveTracked(change, fence);
  }

  override async deleteTracked(serverId: number, fence?: Fence): Promise<void> {
    if (this.down) throw new StoreUnavailableError('not connected');
    return super.deleteTracked(serverId, fence);
  }
}

function followed(server: Server): TrackedChange {
  return {
    serverId: server.id,
    serverName: server.name,
    action: 'start',
    actor: { userId: 'U0ALICE' },
    startedAt: Date.now(),
    status: 'starting',
  };
}

describe('the tracker under a lease, with the store going away', () => {
  it('a settled server the store cannot drop is not told yet; once the store is back, it is told once', async () => {
    const store = new FlakyStore();
    const [server] = sim.addServers(1, { status: 'stopped' });
    if (!server) throw new Error('no server');
    sim.setStatus(server.id, 'starting', { to: 'active', afterMs: 0 });
    const token = await store.acquireLease('leader', 'me', 60_000);
    const events = recorder();
    const log = collectLogger();
    const tracker = new Tracker({
      vps,
      store,
      logger: log.logger,
      events,
      pollMs: 3_600_000,
      leader: { fence: () => ({ lease: 'leader', token: token ?? 0 }) },
    });
    await tracker.follow(followed(server));
    store.down = true;
    await tracker.pollOnce();
    expect(events.settledIds).toEqual([]);
    expect(tracker.following(server.id)).toBeDefined();
    expect(log.records().map((r) => r.msg)).toContain(
      'a settled server could not leave the state store; its outcome waits for the next poll',
    );
    store.down = false;
    await tracker.pollOnce();
    await tracker.pollOnce();
    expect(events.settledIds).toEqual([server.id]);
    expect(await store.trackedChanges()).toEqual([]);
    await tracker.stop();
  });

  it('a replica without the lease stores what it follows for the holder, and leaves its telling to it', async () => {
    const store = new FlakyStore();
    const [server] = sim.addServers(1, { status: 'stopped' });
    if (!server) throw new Error('no server');
    sim.setStatus(server.id, 'starting', { to: 'active', afterMs: 0 });
    const token = await store.acquireLease('leader', 'holder', 60_000);
    const tracker = (fence: () => Fence | undefined, events: TrackerEvents) =>
      new Tracker({
        vps,
        store,
        logger: collectLogger().logger,
        events,
        pollMs: 3_600_000,
        leader: { fence },
      });
    const otherEvents = recorder();
    const other = tracker(() => undefined, otherEvents);
    // The store is away just when the other replica starts following its change.
    store.down = true;
    await other.follow(followed(server));
    expect(await store.trackedChanges()).toEqual([]);
    store.down = false;
    await other.pollOnce();
    expect((await store.trackedChanges()).map((c) => c.serverId)).toEqual([server.id]);
    expect(other.size).toBe(0);

    const holderEvents = recorder();
    const holder = tracker(() => ({ lease: 'leader', token: token ?? 0 }), holderEvents);
    await holder.pollOnce();
    await other.pollOnce();
    expect(holderEvents.settledIds).toEqual([server.id]);
    expect(otherEvents.settledIds).toEqual([]);
    await Promise.all([holder.stop(), other.stop()]);
  });
});
