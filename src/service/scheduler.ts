import { errorFields, type Logger } from '../log.js';
import type { Schedule } from '../pending-records.js';
import type { StateStore } from '../store/store.js';

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
}

/**
 * Runs each schedule once at its time. The store holds them, so they survive a restart; each is
 * claimed in the store before anything is done (run, or reported missed), so none runs twice, and
 * one that was running when the bot stopped is reported, never silently dropped or run again.
 * One per process, a start()/stop() component like the tracker and the fleet watch.
 */
export class Scheduler {
  readonly #o: Required<Omit<SchedulerOptions, 'now'>> & { now: () => number };
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = true;

  constructor(options: SchedulerOptions) {
    this.#o = { tickMs: 1000, now: Date.now, ...options };
  }

  /** Reports what was running when the bot last stopped, then looks at once and every tick. */
  async start(): Promise<void> {
    this.#stopped = false;
    for (const schedule of await this.#o.store.schedulesIn(['running'])) {
      await this.#o.store.finishSchedule(schedule.id, 'interrupted', 'interrupted');
      await this.#safely(schedule, 'report an interrupted schedule', () =>
        this.#o.handlers.interrupted(schedule),
      );
    }
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
    const now = this.#o.now();
    for (const schedule of await this.#o.store.schedulesIn(['pending'])) {
      if (this.#stopped) return;
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
      await this.#o.store.finishSchedule(schedule.id, 'done', outcome);
    }
  }

  async #tickNow(): Promise<void> {
    this.#ticking = this.tick()
      .catch((error: unknown) => this.#o.logger.error(errorFields(error), 'scheduler could not look'))
      .finally(() => {
        this.#ticking = undefined;
        if (!this.#stopped) this.#timer = setTimeout(() => void this.#tickNow(), this.#o.tickMs);
      });
    await this.#ticking;
  }

  async #safely(schedule: Schedule, what: string, task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.#o.logger.error({ ...errorFields(error), schedule: schedule.id }, `could not ${what}`);
    }
  }
}
