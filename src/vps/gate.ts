import pLimit, { type LimitFunction } from 'p-limit';
import { VpsError } from './errors.js';

export interface GateOptions {
  /** Requests in flight at once; more wait their turn. */
  maxInFlight: number;
  /** Requests waiting for their turn; more are refused at once, unsent. */
  maxWaiting: number;
  /** How long a request may wait for its turn; past it, it is never sent. */
  timeoutMs: number;
}

/**
 * Bounds the requests to VPS.org in flight, so that a slow or hung VPS.org is not flooded and the
 * bot's memory stays bounded. Waiting counts against the request's time limit: when it runs out,
 * the request is never sent.
 */
export class RequestGate {
  readonly #limit: LimitFunction;
  readonly #maxWaiting: number;
  readonly #timeoutMs: number;

  constructor(options: GateOptions) {
    this.#limit = pLimit(options.maxInFlight);
    this.#maxWaiting = options.maxWaiting;
    this.#timeoutMs = options.timeoutMs;
  }

  get inFlight(): number {
    return this.#limit.activeCount;
  }

  get waiting(): number {
    return this.#limit.pendingCount;
  }

  run<T>(operation: string, task: () => Promise<T>): Promise<T> {
    if (this.#limit.activeCount < this.#limit.concurrency && this.#limit.pendingCount === 0) {
      return this.#limit(task);
    }
    const unsent = () =>
      new VpsError({
        kind: 'timeout',
        operation,
        sent: false,
        message: `VPS.org is slow to answer the bot's other requests; this one was not sent (${operation}).`,
      });
    // A full queue means VPS.org is not keeping up: answering at once beats a long wait for the same answer.
    if (this.#limit.pendingCount >= this.#maxWaiting) return Promise.reject(unsent());
    let expired = false;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expired = true;
        reject(unsent());
      }, this.#timeoutMs);
    });
    const run = this.#limit(() => {
      if (expired) return Promise.resolve(undefined as never);
      clearTimeout(timer);
      return task();
    });
    return Promise.race([run, waited]).finally(() => clearTimeout(timer));
  }
}
