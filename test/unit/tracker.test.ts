import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrackedChange } from '../../src/records.js';
import { Tracker, type TrackerEvents } from '../../src/service/tracker.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { VpsClient } from '../../src/vps/client.js';
import type { Server } from '../../src/vps/schemas.js';
import { collectLogger, useSimulator } from './helpers.js';

const LIST = '/api/v1/servers/';
const HOUR = 3_600_000;

const { sim, vps: client } = useSimulator();
let vps: VpsClient;
beforeAll(() => {
  vps = client();
});

interface Call {
  event: 'progress' | 'settled' | 'stuck';
  change: TrackedChange;
  server: Server | undefined;
}

/** The presenter's port, recording every call with a copy of what it was given. */
class Recorder implements TrackerEvents {
  readonly calls: Call[] = [];
  failing = false;
  /** Servers whose events do not finish until released (a card waiting out a rate limit). */
  readonly held = new Map<number, Promise<void>>();

  /** Holds this server's events from now on; the returned function lets them all finish. */
  hold(serverId: number): () => void {
    let release = () => {};
    this.held.set(
      serverId,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.held.delete(serverId);
      release();
    };
  }

  #record(event: Call['event'], change: TrackedChange, server: Server | undefined): Promise<void> {
    this.calls.push({ event, change: structuredClone(change), server: structuredClone(server) });
    if (this.failing) return Promise.reject(new Error('chat.update failed'));
    return this.held.get(change.serverId) ?? Promise.resolve();
  }

  progress(change: TrackedChange, server: Server): Promise<void> {
    return this.#record('progress', change, server);
  }

  settled(change: TrackedChange, server: Server | undefined): Promise<void> {
    return this.#record('settled', change, server);
  }

  stuck(change: TrackedChange, server: Server | undefined): Promise<void> {
    return this.#record('stuck', change, server);
  }

  of(event: Call['event']): Call[] {
    return this.calls.filter((call) => call.event === event);
  }
}

const trackers: Tracker[] = [];
afterEach(async () => {
  await Promise.all(trackers.splice(0).map((tracker) => tracker.stop()));
});

function setup(options: { maxMs?: number; progressEveryMs?: number; store?: MemoryStore } = {}) {
  const clock = { now: Date.now() };
  const store = options.store ?? new MemoryStore();
  const events = new Recorder();
  const log = collectLogger();
  const tracker = new Tracker({
    vps,
    store,
    logger: log.logger,
    events,
    // Only pollOnce() polls here: the timer never fires within a test.
    pollMs: HOUR,
    maxMs: options.maxMs ?? 15 * 60_000,
    progressEveryMs: options.progressEveryMs ?? HOUR,
    now: () => clock.now,
  });
  trackers.push(tracker);
  return { clock, store, events, log, tracker };
}

function change(server: { id: number; name: string }, status: string, startedAt: number): TrackedChange {
  return {
    serverId: server.id,
    serverName: server.name,
    action: 'start',
    actor: { userId: 'U0ALICE', channelId: 'C1' },
    startedAt,
    status,
    card: { channel: 'C1', ts: '1.2' },
  };
}

function listRequests() {
  return sim.requests.filter((r) => r.path === LIST);
}

describe('Tracker', () => {
  it('follows 50 servers with one list request a poll, and settles each once', async () => {
    const { tracker, events, clock, store } = setup();
    const servers = sim.addServers(50, { status: 'stopped' });
    for (const server of servers) {
      sim.setStatus(server.id, 'starting', { to: 'active', afterMs: HOUR });
      await tracker.follow(change(server, 'starting', clock.now));
    }
    expect(tracker.size).toBe(50);
    expect(await store.trackedChanges()).toHaveLength(50);

    sim.clearRequests();
    await tracker.pollOnce();
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${LIST}`]);
    expect(events.calls).toEqual([]);
    expect(tracker.size).toBe(50);

    for (const server of servers) sim.setStatus(server.id, 'starting', { to: 'active', afterMs: 0 });
    sim.clearRequests();
    clock.now += 5000;
    await tracker.pollOnce();
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${LIST}`]);
    const settled = events.of('settled');
    expect(settled).toHaveLength(50);
    expect(settled.map((call) => call.change.serverId).sort()).toEqual(servers.map((s) => s.id).sort());
    for (const call of settled) {
      expect(call.server?.id).toBe(call.change.serverId);
      expect(call.server?.status).toBe('active');
      expect(call.change.card).toEqual({ channel: 'C1', ts: '1.2' });
    }
    expect(tracker.size).toBe(0);
    expect(await store.trackedChanges()).toEqual([]);

    sim.clearRequests();
    await tracker.pollOnce();
    expect(sim.requests).toEqual([]);
    expect(events.of('settled')).toHaveLength(50);
  });

  it('settles each server exactly once however many polls it takes (30 ms transitions)', async () => {
    const { tracker, events, clock } = setup();
    const servers = sim.addServers(50, { status: 'stopped' });
    for (const server of servers) {
      sim.setStatus(server.id, 'starting', { to: 'active', afterMs: 30 });
      await tracker.follow(change(server, 'starting', clock.now));
    }
    sim.clearRequests();
    let polls = 0;
    await vi.waitFor(
      async () => {
        polls += 1;
        await tracker.pollOnce();
        expect(tracker.size).toBe(0);
      },
      { timeout: 1500, interval: 10 },
    );
    expect(listRequests()).toHaveLength(polls);
    expect(sim.requests.every((r) => r.path === LIST)).toBe(true);
    const settled = events.of('settled');
    expect(settled).toHaveLength(50);
    expect(new Set(settled.map((call) => call.change.serverId)).size).toBe(50);
    expect(settled.every((call) => call.server?.status === 'active')).toBe(true);
  });

  it('settles a server VPS.org no longer lists with no server', async () => {
    const { tracker, events, clock } = setup();
    const [server] = sim.addServers(1);
    if (!server) throw new Error('no server');
    sim.setStatus(server.id, 'stopping', { to: 'stopped', afterMs: HOUR });
    await tracker.follow({ ...change(server, 'stopping', clock.now), action: 'delete' });
    sim.removeServer(server.id);
    await tracker.pollOnce();
    expect(events.calls).toHaveLength(1);
    expect(events.calls[0]).toMatchObject({
      event: 'settled',
      change: { serverId: server.id },
      server: undefined,
    });
    expect(tracker.following(server.id)).toBeUndefined();
  });

  it('reports progress when the status moves on, and keeps following', async () => {
    const { tracker, events, clock, store } = setup();
    const server = sim.addServer({ name: 'new-one', status: 'provisioning' });
    await tracker.follow({ ...change(server, 'provisioning', clock.now), action: 'create' });
    await tracker.pollOnce();
    expect(events.calls).toEqual([]);

    sim.setStatus(server.id, 'starting', { to: 'active', afterMs: HOUR });
    clock.now += 1000;
    await tracker.pollOnce();
    expect(events.calls).toHaveLength(1);
    expect(events.calls[0]).toMatchObject({
      event: 'progress',
      change: { serverId: server.id, status: 'starting' },
      server: { id: server.id, status: 'starting' },
    });
    expect(tracker.following(server.id)?.status).toBe('starting');
    expect((await store.trackedChanges())[0]?.status).toBe('starting');

    await tracker.pollOnce();
    expect(events.calls).toHaveLength(1);
  });

  it('reports progress on a long transition every progressEveryMs even without a status change', async () => {
    const { tracker, events, clock } = setup({ progressEveryMs: 10_000 });
    const server = sim.addServer({ name: 'slow-one', status: 'provisioning' });
    await tracker.follow({ ...change(server, 'provisioning', clock.now), action: 'create' });
    clock.now += 9_999;
    await tracker.pollOnce();
    expect(events.calls).toEqual([]);
    clock.now += 1;
    await tracker.pollOnce();
    expect(events.of('progress')).toHaveLength(1);
    clock.now += 5_000;
    await tracker.pollOnce();
    expect(events.of('progress')).toHaveLength(1);
  });

  it('reports a server still in transition after maxMs as stuck, once, and drops it', async () => {
    const { tracker, events, clock, store } = setup({ maxMs: 60_000 });
    const [server] = sim.addServers(1);
    if (!server) throw new Error('no server');
    sim.setStatus(server.id, 'stopping', { to: 'stopped', afterMs: HOUR });
    await tracker.follow({ ...change(server, 'stopping', clock.now), action: 'stop' });
    clock.now += 59_999;
    await tracker.pollOnce();
    expect(events.calls).toEqual([]);
    clock.now += 1;
    await tracker.pollOnce();
    expect(events.calls).toHaveLength(1);
    expect(events.calls[0]).toMatchObject({
      event: 'stuck',
      change: { serverId: server.id },
      server: { id: server.id, status: 'stopping' },
    });
    expect(tracker.size).toBe(0);
    expect(await store.trackedChanges()).toEqual([]);
    clock.now += 60_000;
    await tracker.pollOnce();
    expect(events.calls).toHaveLength(1);
  });

  it('settles nothing while the list fails, keeps following, and settles once it works again', async () => {
    const { tracker, events, clock, log } = setup();
    const [server] = sim.addServers(1);
    if (!server) throw new Error('no server');
    sim.setStatus(server.id, 'rebooting', { to: 'active', afterMs: 0 });
    await tracker.follow({ ...change(server, 'rebooting', clock.now), action: 'reboot' });
    sim.fault({ method: 'GET', path: LIST, status: 503, times: 3 });
    sim.clearRequests();
    await tracker.pollOnce();
    expect(listRequests().every((r) => r.status === 503)).toBe(true);
    expect(events.calls).toEqual([]);
    expect(tracker.following(server.id)).toBeDefined();
    expect(log.records().some((r) => r.level === 'warn')).toBe(true);

    await tracker.pollOnce();
    expect(events.calls).toHaveLength(1);
    expect(events.calls[0]).toMatchObject({ event: 'settled', server: { id: server.id, status: 'active' } });
  });

  it('drops a settled server even when the presenter fails, and logs it', async () => {
    const { tracker, events, clock, log } = setup();
    const [server] = sim.addServers(1);
    if (!server) throw new Error('no server');
    await tracker.follow(change(server, 'starting', clock.now));
    events.failing = true;
    await tracker.pollOnce();
    expect(events.of('settled')).toHaveLength(1);
    expect(tracker.size).toBe(0);
    expect(log.records().some((r) => r.level === 'error')).toBe(true);
    await tracker.pollOnce();
    expect(events.of('settled')).toHaveLength(1);
  });

  it('one server whose event is slow holds back neither the next poll nor another server', async () => {
    const { tracker, events, clock } = setup();
    const [slow, quick] = sim.addServers(2, { status: 'stopped' });
    if (!slow || !quick) throw new Error('no servers');
    for (const server of [slow, quick]) {
      sim.setStatus(server.id, 'starting', { to: 'active', afterMs: HOUR });
      await tracker.follow(change(server, 'stopped', clock.now));
    }
    const release = events.hold(slow.id);
    // Both move on to starting: the slow one's progress does not finish.
    const firstPoll = tracker.pollOnce();
    await vi.waitFor(() => expect(events.of('progress')).toHaveLength(2));
    // The next polls go on, and the quick server settles; the slow one is skipped, not queued.
    sim.setStatus(slow.id, 'active');
    sim.setStatus(quick.id, 'active');
    await tracker.pollOnce();
    await tracker.pollOnce();
    expect(events.of('settled').map((call) => call.change.serverId)).toEqual([quick.id]);
    expect(events.calls.filter((call) => call.change.serverId === slow.id)).toHaveLength(1);
    expect(tracker.following(slow.id)).toBeDefined();
    // Once its card is through, the slow one settles too, in order: progress, then settled.
    release();
    await firstPoll;
    await tracker.pollOnce();
    expect(events.calls.filter((call) => call.change.serverId === slow.id).map((call) => call.event)).toEqual(
      ['progress', 'settled'],
    );
    expect(tracker.size).toBe(0);
  });

  it('resumes what the store says was being followed', async () => {
    const store = new MemoryStore();
    const servers = sim.addServers(3, { status: 'stopped' });
    const startedAt = Date.now();
    for (const server of servers) {
      sim.setStatus(server.id, 'starting', { to: 'active', afterMs: 0 });
      await store.saveTracked(change(server, 'starting', startedAt));
    }
    const { tracker, events } = setup({ store });
    expect(tracker.size).toBe(0);
    expect(await tracker.resume()).toBe(3);
    expect(tracker.following(servers[0]?.id ?? 0)).toMatchObject({ serverName: servers[0]?.name });
    sim.clearRequests();
    await tracker.pollOnce();
    expect(listRequests()).toHaveLength(1);
    expect(
      events
        .of('settled')
        .map((call) => call.change.serverId)
        .sort(),
    ).toEqual(servers.map((s) => s.id).sort());
    expect(await store.trackedChanges()).toEqual([]);
  });

  it('does nothing, not even a request, while it follows nothing', async () => {
    const { tracker, events } = setup();
    sim.clearRequests();
    await tracker.pollOnce();
    expect(sim.requests).toEqual([]);
    expect(events.calls).toEqual([]);
  });
});
