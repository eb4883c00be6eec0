import { errorFields, type Logger } from '../log.js';
import type { TrackedChange } from '../records.js';
import { StoreUnavailableError } from '../store/errors.js';
import type { ChangeClaim, StateStore } from '../store/store.js';

/**
 * How long a claim on a server lasts when the replica that made it dies before releasing it: far
 * longer than one change takes to reach VPS.org, short enough not to block the server for long.
 */
export const CLAIM_TTL_MS = 2 * 60_000;

/**
 * One change at a time per server, across every replica: a change claims its server in the store
 * before anything is sent to VPS.org, and a server with a change claimed or followed is busy.
 */
export class ChangeClaims {
  readonly #store: Pick<StateStore, 'healthy' | 'claimChange' | 'releaseChange' | 'changeUnderWay'>;
  readonly #logger: Logger;
  readonly #now: () => number;

  constructor(
    store: Pick<StateStore, 'healthy' | 'claimChange' | 'releaseChange' | 'changeUnderWay'>,
    logger: Logger,
    now: () => number = Date.now,
  ) {
    this.#store = store;
    this.#logger = logger;
    this.#now = now;
  }

  /** Refuses at once, before anything is asked of VPS.org, while the store cannot be reached. */
  ensureAvailable(): void {
    if (!this.#store.healthy) throw new StoreUnavailableError('not connected');
  }

  underWay(serverId: number): Promise<TrackedChange | undefined> {
    return this.#store.changeUnderWay(serverId, this.#now());
  }

  claim(change: TrackedChange): Promise<ChangeClaim> {
    return this.#store.claimChange(change, this.#now(), CLAIM_TTL_MS);
  }

  /** Never fails the change it ends: a claim that cannot be released lapses by itself. */
  async release(serverId: number, token: string): Promise<void> {
    try {
      await this.#store.releaseChange(serverId, token);
    } catch (error) {
      this.#logger.warn(
        { ...errorFields(error), server_id: serverId },
        'could not release a claim; it lapses',
      );
    }
  }
}
