import { errorFields, type Logger } from '../log.js';
import type { Schedule } from '../pending-records.js';
import type { StateStore } from '../store/store.js';
import type { Leader } from './tracker.js';

/** What to do about a pending schedule now: nothing yet, run it, or report it missed (too late). */
export type Due = 'wait' | 'run' | 'missed';

export function dueNow(schedule: Pick<Schedule, 'at'>, now: number, graceMs: number): Due {
  if (now < schedule.at) return 'wait';
  return now - schedule.at > graceMs ? 'missed' : 'run';
}

/** What happens to a schedule once the scheduler has claimed it. */
export interface ScheduleHandlers {
  /** Its time came: act (or say why not). */
  run(schedule: Schedule): Promise<string>;
  /** Its time passed more than the grace ago (the bot was down): say so, do nothing. */
  missed(schedule: Schedule, lateMs: number): Promise<void>;
  /** It was running when the bot stopped: it may or may not have happened; say so, never run it again. */
  interrupted(schedule: Schedule): Promise<void>;
}

export interface SchedulerOptions {
  store: StateStore;
  logger: Logger;
  handlers: ScheduleHandlers;
  /** How late a schedule may still run (VPS_SCHEDULE_GRACE_SECONDS). */
  graceMs: number;
  /** How often it looks for schedules whose time came. */
  tickMs?: number;
  now?: () => number;
  /**
   * With several replicas: only the lease holder looks, and the one taking the lease reports what the
   * last holder left running (takeOver). The claim in the store still makes each schedule run once.
   */
  leader?: Leader | undefined;
}

/**
 * Runs each schedule once at its time. The store holds them, so they survive a restart; each is
 * claimed in the store before anything is done (run, or reported missed), so none runs twice, and
 * one that was running when the bot stopped is reported, never silently dropped or run again.
 * One per group of replicas, a start()/stop() component like the tracker and the fleet watch, run
 * by the lease holder.
 */
export class Scheduler {
  readonly #o: Required<Omit<SchedulerOptions, 'now' | 'leader'>> & {
    now: () => number;
    leader: Leader | undefined;
  };
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = true;
  /** Schedules left running by the last holder (or before a restart) are still to be reported. */
  #takingOver = false;
  /** Schedules run here whose end the store did not take: finished at the next look. */
  readonly #unfinished = new Map<string, string>();

  constructor(options: SchedulerOptions) {
    this.#o = { tickMs: 1000, now: Date.now, ...options, leader: options.leader };
  }

  /**
   * Alone: reports what was running when the bot last stopped, then looks at once and every tick.
   * With a leader: looks every tick, doing something only while holding the lease.
   */
  async start(): Promise<void> {
    this.#stopped = false;
    if (this.#o.leader) this.#next();
    else await this.takeOver();
  }

  /**
   * This replica now runs the schedules (it took the lease, or it is alone): what the last one left
   * running is reported, then it looks at once.
   */
  async takeOver(): Promise<void> {
    if (this.#stopped) return;
    this.#takingOver = true;
    await this.#ticking;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#tickNow();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
  }

  /** One look: every pending schedule whose time came is claimed, then run or reported missed. */
  async tick(): Promise<void> {
    if (!this.#acting()) return;
    // Ours first: a schedule this replica ran is done, not interrupted.
    for (const [id, outcome] of this.#unfinished) await this.#finish(id, outcome);
    if (this.#takingOver) {
      await this.#reportInterrupted();
      this.#takingOver = false;
    }
    const now = this.#o.now();
    for (const schedule of await this.#o.store.schedulesIn(['pending'])) {
      // A holder whose lease may have lapsed leaves the rest to the replica that has it now.
      if (this.#stopped || !this.#acting()) return;
      const due = dueNow(schedule, now, this.#o.graceMs);
      if (due === 'wait') continue;
      const claim = await this.#o.store.claimSchedule(schedule.id, due === 'run' ? 'running' : 'missed', now);
      if (claim.kind !== 'ok') continue;
      if (due === 'missed') {
        await this.#safely(schedule, 'report a missed schedule', () =>
          this.#o.handlers.missed(claim.schedule, now - schedule.at),
        );
        continue;
      }
      this.#o.logger.info(
        { schedule: schedule.id, server_id: schedule.serverId, action: schedule.action },
        'running a scheduled change',
      );
      let outcome = 'error';
      await this.#safely(schedule, 'run a scheduled change', async () => {
        outcome = await this.#o.handlers.run(claim.schedule);
      });
      await this.#finish(schedule.id, outcome);
    }
  }

  /** A schedule that ran is never left `running`: that would report it interrupted after a handover. */
  async #finish(id: string, outcome: string): Promise<void> {
    try {
      await this.#o.store.finishSchedule(id, 'done', outcome);
      this.#unfinished.delete(id);
    } catch (error) {
      this.#unfinished.set(id, outcome);
      this.#o.logger.error(
        { ...errorFields(error), schedule: id },
        'could not mark a scheduled change done; trying again at the next look',
      );
    }
  }

  /** It was running when the bot stopped: it may or may not have happened. Reported, never run again. */
  async #reportInterrupted(): Promise<void> {
    for (const schedule of await this.#o.store.schedulesIn(['running'])) {
      await this.#o.store.finishSchedule(schedule.id, 'interrupted', 'interrupted');
      await this.#safely(schedule, 'report an interrupted schedule', () =>
        this.#o.handlers.interrupted(schedule),
      );
    }
  }

  async #tickNow(): Promise<void> {
    this.#ticking = this.tick()
      .catch((error: unknown) => this.#o.logger.error(errorFields(error), 'scheduler could not look'))
      .finally(() => {
        this.#ticking = undefined;
        this.#next();
      });
    await this.#ticking;
  }

  #next(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#tickNow();
    }, this.#o.tickMs);
  }

  /** Whether this replica runs the schedules now: the lease holder, or the only replica. */
  #acting(): boolean {
    return this.#o.leader === undefined || this.#o.leader.fence() !== undefined;
  }

  async #safely(schedule: Schedule, what: string, task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.#o.logger.error({ ...errorFields(error), schedule: schedule.id }, `could not ${what}`);
    }
  }
}
