import PQueue from 'p-queue';
import { VpsError } from './errors.js';
import { type Queueing, SharedRequest } from './shared-request.js';

export type Lane = 'change' | 'lookup';

export interface GateOptions {
  /** Requests in flight at once; more wait their turn. */
  maxInFlight: number;
  /** Lookups waiting for their turn; more are refused at once, unsent. Changes always wait. */
  maxWaiting: number;
  /** How long a caller may wait for its request's turn; past it, it is told the request was not sent. */
  timeoutMs: number;
  /** Monotonic milliseconds. */
  now?: () => number;
}

/** Changes go before lookups waiting for a slot: a lookup never delays a person's change. */
const PRIORITY: Record<Lane, number> = { change: 1, lookup: 0 };

/**
 * Bounds the requests to VPS.org in flight, so that a slow or hung VPS.org is not flooded and the
 * bot's memory stays bounded; sends waiting changes before waiting lookups; and sends nothing while
 * VPS.org has asked the whole process to wait (a 429). Waiting counts against a caller's time
 * limit: when it runs out, the caller is told, and a request no caller waits for is never sent.
 */
export class RequestGate {
  readonly timeoutMs: number;
  readonly #queue: PQueue;
  readonly #maxWaiting: number;
  readonly #now: () => number;
  /** Requests neither sent nor withdrawn, each with the signal that takes it out of the queue. */
  readonly #waiting = new Map<SharedRequest<unknown>, AbortController | undefined>();
  #waitingLookups = 0;
  #pausedUntil = 0;
  #lastPausedAt = Number.NEGATIVE_INFINITY;
  #resumeTimer: NodeJS.Timeout | undefined;
  /** Attempts already under way waiting for the pause to end, each until at most `latest`. */
  #resumed: { resume: () => void; refuse: () => void; latest: number }[] = [];
  readonly #queueing: Queueing;

  constructor(options: GateOptions) {
    this.timeoutMs = options.timeoutMs;
    this.#queue = new PQueue({ concurrency: options.maxInFlight });
    this.#maxWaiting = options.maxWaiting;
    this.#now = options.now ?? (() => performance.now());
    this.#queueing = {
      now: this.#now,
      timeoutMs: this.timeoutMs,
      pausedUntil: () => this.#pausedUntil,
      unsent: (operation, since) => this.#unsent(operation, since),
      withdraw: (request) => this.#withdraw(request),
    };
  }

  get inFlight(): number {
    return this.#queue.pending;
  }

  get waiting(): number {
    return this.#waiting.size;
  }

  /** Until when VPS.org asked the bot to send nothing (the gate's clock); 0 when it did not. */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** One caller's request, sent in its turn. */
  run<T>(operation: string, task: () => Promise<T>, lane: Lane = 'lookup'): Promise<T> {
    try {
      return this.request(operation, lane, task).wait();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A request that waits for its turn, and for `after` to settle first; any number of callers may
   * `wait()` for it. A lookup beyond the waiting bound is refused at once: VPS.org is not keeping up,
   * and answering now beats a long wait for the same answer.
   */
  request<T>(
    operation: string,
    lane: Lane,
    task: () => Promise<T>,
    after?: Promise<unknown>,
  ): SharedRequest<T> {
    if (lane === 'lookup' && this.#waitingLookups >= this.#maxWaiting) {
      throw this.#unsent(operation, this.#now());
    }
    const request = new SharedRequest(this.#queueing, operation, lane, task);
    const shared = request as SharedRequest<unknown>;
    this.#waiting.set(shared, undefined);
    if (lane === 'lookup') this.#waitingLookups += 1;
    const enqueue = () => {
      if (!request.waiting) return;
      const started = () => {
        this.#dequeued(shared);
        return request.send();
      };
      // A request sent at once is never withdrawn: only one that waits needs the signal to leave the queue.
      const waits =
        this.#queue.isPaused || this.#queue.size > 0 || this.#queue.pending >= this.#queue.concurrency;
      const withdrawal = waits ? new AbortController() : undefined;
      if (withdrawal) this.#waiting.set(shared, withdrawal);
      // Callers get the answer from the request itself; the queue's copy of it is only bookkeeping.
      this.#queue.add(started, { priority: PRIORITY[lane], signal: withdrawal?.signal }).catch(() => {});
    };
    if (after) void after.then(enqueue, enqueue);
    else enqueue();
    return request;
  }

  /** VPS.org answered 429: the whole process sends nothing for `ms`. */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    const now = this.#now();
    this.#lastPausedAt = now;
    if (now + ms <= this.#pausedUntil) return;
    this.#pausedUntil = now + ms;
    this.#queue.pause();
    clearTimeout(this.#resumeTimer);
    this.#resumeTimer = setTimeout(() => this.#resume(), ms);
    // A pause alone must not keep a stopping process alive.
    this.#resumeTimer.unref();
    for (const request of [...this.#waiting.keys()]) request.paused(this.#pausedUntil);
    // An attempt under way that was waiting out a shorter pause is refused now, not held past its bound.
    const refused = this.#resumed.filter(({ latest }) => latest < this.#pausedUntil);
    this.#resumed = this.#resumed.filter(({ latest }) => latest >= this.#pausedUntil);
    for (const { refuse } of refused) refuse();
  }

  /**
   * Resolves when VPS.org allows requests again; undefined when it has not asked the bot to wait.
   * Rejects at once with `tooLong()` when that is more than `maxWaitMs` away.
   */
  whenAllowed(maxWaitMs = Number.POSITIVE_INFINITY, tooLong?: () => Error): Promise<void> | undefined {
    if (this.#pausedUntil === 0) return undefined;
    const latest = this.#now() + maxWaitMs;
    if (tooLong && this.#pausedUntil > latest) return Promise.reject(tooLong());
    return new Promise((resolve, reject) => {
      const refuse = () => reject(tooLong?.());
      this.#resumed.push({ resume: resolve, refuse, latest: tooLong ? latest : Number.POSITIVE_INFINITY });
    });
  }

  #resume(): void {
    this.#pausedUntil = 0;
    this.#resumeTimer = undefined;
    for (const { resume } of this.#resumed.splice(0)) resume();
    this.#queue.start();
  }

  #withdraw(request: SharedRequest<unknown>): void {
    const withdrawal = this.#waiting.get(request);
    this.#dequeued(request);
    withdrawal?.abort();
  }

  #dequeued(request: SharedRequest<unknown>): void {
    if (this.#waiting.delete(request) && request.lane === 'lookup') this.#waitingLookups -= 1;
  }

  #unsent(operation: string, since: number): VpsError {
    if (this.#pausedUntil > 0 || this.#lastPausedAt >= since) {
      return new VpsError({
        kind: 'rate_limited',
        operation,
        sent: false,
        message: `VPS.org is rate limiting the bot; this request was not sent (${operation}).`,
      });
    }
    return new VpsError({
      kind: 'timeout',
      operation,
      sent: false,
      message: `VPS.org is slow to answer the bot's other requests; this one was not sent (${operation}).`,
    });
  }
}
