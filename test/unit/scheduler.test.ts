import { afterEach, describe, expect, it } from 'vitest';
import type { Schedule } from '../../src/pending-records.js';
import { dueNow, type ScheduleHandlers, Scheduler } from '../../src/service/scheduler.js';
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

  async run(s: Schedule): Promise<string> {
    this.ran.push(s.id);
    if (this.failing) throw new Error('VPS.org down');
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

function setup(store = new MemoryStore()) {
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
