import { errorFields, type Logger } from '../log.js';
import type { StateStore } from '../store/store.js';

/**
 * Slack retries a request it thinks went unanswered (X-Slack-Retry-Num) and Bolt does not
 * de-duplicate: every interaction carries a trigger_id, and a repeated one is the same delivery. The
 * ids seen live in the store, so a retry that reaches another replica is dropped too.
 */
export class Deliveries {
  readonly #store: Pick<StateStore, 'firstDelivery'>;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(
    store: Pick<StateStore, 'firstDelivery'>,
    logger: Logger,
    now: () => number = Date.now,
    ttlMs = 30 * 60_000,
  ) {
    this.#store = store;
    this.#logger = logger;
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  /**
   * True the first time a delivery is seen; false for a repeat. When the store cannot tell, the
   * delivery goes on: a lookup is harmless twice, and a change needs the store anyway and is refused.
   */
  async firstTime(key: string | undefined): Promise<boolean> {
    if (!key) return true;
    try {
      return await this.#store.firstDelivery(key, this.#now(), this.#ttlMs);
    } catch (error) {
      this.#logger.warn(errorFields(error), 'could not check for a repeated delivery; handling it');
      return true;
    }
  }
}
