/**
 * Slack retries a request it thinks went unanswered (X-Slack-Retry-Num) and Bolt does not
 * de-duplicate: every interaction carries a trigger_id, and a repeated one is the same delivery.
 */
export class Deliveries {
  readonly #seen = new Map<string, number>();
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(now: () => number = Date.now, ttlMs = 30 * 60_000) {
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  /** True the first time a delivery is seen; false for a repeat. */
  firstTime(key: string | undefined): boolean {
    if (!key) return true;
    const now = this.#now();
    for (const [seen, at] of this.#seen) {
      if (now - at < this.#ttlMs) break;
      this.#seen.delete(seen);
    }
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, now);
    return true;
  }
}
