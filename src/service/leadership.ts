import { randomBytes } from 'node:crypto';
import { errorFields, type Logger } from '../log.js';
import type { Fence, StateStore } from '../store/store.js';

export interface LeadershipOptions {
  store: Pick<StateStore, 'acquireLease' | 'releaseLease'>;
  logger: Logger;
  /** How long the lease lasts unless renewed; renewed every third of it. */
  ttlMs: number;
  /** Called each time this replica takes the lease (not on renewals). */
  onGained?: () => Promise<void>;
  name?: string;
}

/** The lease that makes one replica of a group the one that runs the tracker, the fleet watch and the scheduler. */
export const LEADER_LEASE = 'leader';

/**
 * Holds, or waits for, the group's lease. While it holds it, `fence()` gives the token that the
 * tracker's and the watch's writes carry; a replica whose renewals stopped getting through (Redis
 * unreachable, the process paused) stops acting once its lease may have expired, and the store
 * refuses its writes once another replica has the lease. A holder that dies is replaced within
 * `ttlMs` (its lease expires) plus a third of it (the others' next attempt): under two lease periods.
 */
export class Leadership {
  readonly holder = randomBytes(8).toString('hex');
  readonly #o: Required<Omit<LeadershipOptions, 'onGained'>> & Pick<LeadershipOptions, 'onGained'>;
  #token: number | undefined;
  /** performance.now() until which the lease is surely ours: from when the last renewal was sent. */
  #validUntil = 0;
  #timer: NodeJS.Timeout | undefined;
  #attempting: Promise<void> | undefined;
  #unreachable = false;
  #stopped = false;
  /** The take-over run on gaining the lease, still going on or done. */
  #gaining: Promise<void> | undefined;

  constructor(options: LeadershipOptions) {
    this.#o = { name: LEADER_LEASE, ...options };
  }

  /** The fence for guarded writes while this replica holds the lease; undefined otherwise. */
  fence(): Fence | undefined {
    if (this.#token === undefined || performance.now() >= this.#validUntil) return undefined;
    return { lease: this.#o.name, token: this.#token };
  }

  get held(): boolean {
    return this.fence() !== undefined;
  }

  /** Tries at once, then every third of the lease, until stopped. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.attempt();
  }

  /** One try to take or renew the lease. */
  attempt(): Promise<void> {
    this.#attempting ??= this.#attempt().finally(() => {
      this.#attempting = undefined;
      this.#schedule();
    });
    return this.#attempting;
  }

  /** Stops renewing and gives the lease up, so another replica takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#attempting;
    await this.#gaining;
    if (this.#token === undefined) return;
    this.#token = undefined;
    try {
      await this.#o.store.releaseLease(this.#o.name, this.holder);
    } catch (error) {
      this.#o.logger.warn(errorFields(error), 'could not give the lease up; it expires by itself');
    }
  }

  async #attempt(): Promise<void> {
    if (this.#stopped) return;
    const { store, name, ttlMs, logger } = this.#o;
    const sentAt = performance.now();
    let token: number | undefined;
    try {
      token = await store.acquireLease(name, this.holder, ttlMs);
    } catch (error) {
      if (!this.#unreachable) logger.warn(errorFields(error), 'could not renew or take the lease');
      this.#unreachable = true;
      return;
    }
    this.#unreachable = false;
    const had = this.held ? this.#token : undefined;
    if (token === undefined) {
      if (had !== undefined) logger.warn({ lease: name }, 'another replica holds the lease now');
      this.#token = undefined;
      return;
    }
    this.#token = token;
    this.#validUntil = sentAt + ttlMs;
    if (had === token) return;
    logger.info(
      { lease: name, token },
      'holding the lease: this replica runs the tracker, the fleet watch and the scheduler',
    );
    // Not awaited: the take-over (resuming followed servers, a due schedule, a look at the fleet) may
    // wait on VPS.org for longer than the lease, and the lease must go on being renewed meanwhile.
    const previous = this.#gaining;
    this.#gaining = (async () => {
      await previous;
      try {
        await this.#o.onGained?.();
      } catch (error) {
        logger.error(errorFields(error), 'taking over after gaining the lease failed');
      }
    })();
  }

  /** Resolves once the take-over started by the last gain of the lease has finished. */
  async settled(): Promise<void> {
    await this.#gaining;
  }

  #schedule(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.attempt();
    }, this.#o.ttlMs / 3);
  }
}
