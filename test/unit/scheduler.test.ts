import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Schedule } from '../../src/pending-records.js';
import { dueNow, type ScheduleHandlers, Scheduler } from '../../src/service/scheduler.js';
import type { Leader } from '../../src/service/tracker.js';
import { MemoryStore } from '../../src/store/memory.js';
import { collectLogger } from './helpers.js';

const T0 = Date.UTC(2026, 10, 30, 17, 0);
const GRACE = 10 * 60_000;

function schedule(id: string, at: number, extra: Partial<Schedule> = {}): Schedule {
  return {
    id,
    action: 'stop',
    serverId: 12345,
    serverName: 'web-server-01',
    at,
    zone: 'Europe/Berlin',
    by: { userId: 'U0ALICE', channelId: 'C0GENERAL' },
    createdAt: T0 - 3_600_000,
    state: 'pending',
    ...extra,
  };
}

/** The handlers' port, recording what the scheduler asked of it. */
class Recorder implements ScheduleHandlers {
  readonly ran: string[] = [];
  readonly missedLate: [string, number][] = [];
  readonly interruptedIds: string[] = [];
  outcome = 'ok';
  failing = false;
  /** A run that does not finish until released (a holder that dies while running it). */
  hanging: Promise<void> | undefined;

  async run(s: Schedule): Promise<string> {
    this.ran.push(s.id);
    if (this.failing) throw new Error('VPS.org down');
    await this.hanging;
    return this.outcome;
  }

  async missed(s: Schedule, lateMs: number): Promise<void> {
    this.missedLate.push([s.id, lateMs]);
  }

  async interrupted(s: Schedule): Promise<void> {
    this.interruptedIds.push(s.id);
  }
}

const schedulers: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
});

function setup(store = new MemoryStore(), leader?: Leader) {
  const clock = { now: T0 };
  const handlers = new Recorder();
  const scheduler = new Scheduler({
    store,
    logger: collectLogger().logger,
    handlers,
    graceMs: GRACE,
    // Ticks are driven by hand in these tests.
    tickMs: 3_600_000,
    now: () => clock.now,
    leader,
  });
  schedulers.push(scheduler);
  return { store, clock, handlers, scheduler };
}

describe('dueNow: the scheduler’s decision', () => {
  it('waits before the time, runs from the time until the grace is over, then reports missed', () => {
    expect(dueNow({ at: T0 }, T0 - 1, GRACE)).toBe('wait');
    expect(dueNow({ at: T0 }, T0, GRACE)).toBe('run');
    expect(dueNow({ at: T0 }, T0 + GRACE, GRACE)).toBe('run');
    expect(dueNow({ at: T0 }, T0 + GRACE + 1, GRACE)).toBe('missed');
  });
});

describe('Scheduler', () => {
  it('runs a schedule once at its time, not before, and records how it ended', async () => {
    const { store, clock, handlers, scheduler } = setup();
    await store.saveSchedule(schedule('s', T0 + 60_000));
    await scheduler.start();
    expect(handlers.ran).toEqual([]);
    clock.now = T0 + 60_000;
    handlers.outcome = 'nothing_to_do';
    await scheduler.tick();
    await scheduler.tick();
    expect(handlers.ran).toEqual(['s']);
    expect(await store.getSchedule('s')).toMatchObject({ state: 'done', outcome: 'nothing_to_do' });
  });

  it('runs one due within the grace after a restart; reports one past the grace missed, never runs it', async () => {
    const store = new MemoryStore();
    await store.saveSchedule(schedule('recent', T0 - 5 * 60_000));
    await store.saveSchedule(schedule('old', T0 - 11 * 60_000));
    await store.saveSchedule(schedule('later', T0 + 5 * 60_000));
    const { handlers, scheduler } = setup(store);
    await scheduler.start();
    expect(handlers.ran).toEqual(['recent']);
    expect(handlers.missedLate).toEqual([['old', 11 * 60_000]]);
    expect((await store.getSchedule('old'))?.state).toBe('missed');
    expect((await store.getSchedule('later'))?.state).toBe('pending');
  });

  it('reports one that was running when the bot stopped as interrupted, and never runs it again', async () => {
    const store = new MemoryStore();
    await store.saveSchedule(schedule('mid', T0 - 1000));
    await store.claimSchedule('mid', 'running', T0 - 1000);
    const { handlers, scheduler } = setup(store);
    await scheduler.start();
    await scheduler.tick();
    expect(handlers.interruptedIds).toEqual(['mid']);
    expect(handlers.ran).toEqual([]);
    expect(await store.getSchedule('mid')).toMatchObject({ state: 'interrupted' });
  });

  it('never runs a cancelled one, and a failing run still ends the schedule (no retry loop)', async () => {
    const { store, clock, handlers, scheduler } = setup();
    await store.saveSchedule(schedule('cancelled', T0 + 1000));
    await store.saveSchedule(schedule('failing', T0 + 1000));
    await store.claimSchedule('cancelled', 'cancelled', T0, 'U0BOB');
    await scheduler.start();
    handlers.failing = true;
    clock.now = T0 + 2000;
    await scheduler.tick();
    await scheduler.tick();
    expect(handlers.ran).toEqual(['failing']);
    expect(await store.getSchedule('failing')).toMatchObject({ state: 'done', outcome: 'error' });
  });

  it('two schedulers on one store (a restart racing a tick) run a schedule once', async () => {
    const store = new MemoryStore();
    await store.saveSchedule(schedule('once', T0));
    const a = setup(store);
    const b = setup(store);
    await Promise.all([a.scheduler.start(), b.scheduler.start()]);
    expect([...a.handlers.ran, ...b.handlers.ran]).toEqual(['once']);
  });
});

/** A replica's view of the lease, set by hand: whether it believes it holds it. */
function lease(held: boolean): Leader & { held: boolean } {
  const view = {
    held,
    fence: () => (view.held ? { lease: 'leader', token: 1 } : undefined),
  };
  return view;
}

describe('the scheduler under a lease', () => {
  it('only the holder runs what is due; a schedule due while both believe they hold it runs once', async () => {
    const store = new MemoryStore();
    const aLease = lease(true);
    const bLease = lease(false);
    const a = setup(store, aLease);
    const b = setup(store, bLease);
    await Promise.all([a.scheduler.start(), b.scheduler.start()]);
    await store.saveSchedule(schedule('first', T0));
    await b.scheduler.tick();
    expect(b.handlers.ran).toEqual([]);
    await a.scheduler.tick();
    expect(a.handlers.ran).toEqual(['first']);

    // The handover: the old holder paused past its lease and has not noticed; the new one took it.
    bLease.held = true;
    await store.saveSchedule(schedule('handover', T0));
    await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick(), b.scheduler.tick()]);
    expect([...a.handlers.ran, ...b.handlers.ran].filter((id) => id === 'handover')).toEqual(['handover']);
    expect(await store.getSchedule('handover')).toMatchObject({ state: 'done', outcome: 'ok' });

    // The old holder knows it lost the lease: it runs nothing more.
    aLease.held = false;
    await store.saveSchedule(schedule('after', T0));
    await a.scheduler.tick();
    await b.scheduler.tick();
    expect(a.handlers.ran).not.toContain('after');
    expect(b.handlers.ran).toContain('after');
  });

  it('the new holder reports what the old one left running, once; the old one finishing late changes nothing', async () => {
    const store = new MemoryStore();
    const aLease = lease(true);
    const bLease = lease(false);
    const a = setup(store, aLease);
    const b = setup(store, bLease);
    await Promise.all([a.scheduler.start(), b.scheduler.start()]);
    await store.saveSchedule(schedule('mid', T0));
    let release = () => {};
    a.handlers.hanging = new Promise((resolve) => {
      release = resolve;
    });
    const running = a.scheduler.tick();
    await vi.waitFor(async () => expect((await store.getSchedule('mid'))?.state).toBe('running'));

    // a stalls mid-run and its lease lapses; b takes the lease over.
    aLease.held = false;
    bLease.held = true;
    await b.scheduler.takeOver();
    expect(b.handlers.interruptedIds).toEqual(['mid']);
    expect(await store.getSchedule('mid')).toMatchObject({ state: 'interrupted' });
    release();
    await running;
    await b.scheduler.tick();
    expect(await store.getSchedule('mid')).toMatchObject({ state: 'interrupted' });
    expect(b.handlers.ran).toEqual([]);
    expect(b.handlers.interruptedIds).toEqual(['mid']);
  });

  it('a replica that is not the holder looks without reporting anything until it takes the lease', async () => {
    const store = new MemoryStore();
    await store.saveSchedule(schedule('left', T0 - 1000));
    await store.claimSchedule('left', 'running', T0 - 1000);
    const bLease = lease(false);
    const b = setup(store, bLease);
    await b.scheduler.start();
    await b.scheduler.tick();
    expect(b.handlers.interruptedIds).toEqual([]);
    bLease.held = true;
    await b.scheduler.takeOver();
    expect(b.handlers.interruptedIds).toEqual(['left']);
  });
});
