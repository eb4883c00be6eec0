import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * The callers of one answer, each resumed in its own turn of the event loop: fifty people's cards
 * built back to back would hold every ack that arrived meanwhile, and the ack comes first.
 */
async function resumeInTurn<T>(callers: readonly T[], resume: (caller: T) => void): Promise<void> {
  for (const [index, caller] of callers.entries()) {
    if (index > 0) await nextTurn();
    resume(caller);
  }
}

/** What a shared request needs from the gate that queues it. */
export interface Queueing {
  now(): number;
  /** How long a caller may wait for the request to be sent. */
  readonly timeoutMs: number;
  /** Until when VPS.org asked the bot to send nothing (a 429); 0 when it did not. */
  pausedUntil(): number;
  /** The error of a caller whose time ran out before the request was sent, waiting since `since`. */
  unsent(operation: string, since: number): Error;
  /** The request will never be sent: every caller gave up. */
  withdraw(request: SharedRequest<unknown>): void;
}

interface Caller<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
  since: number;
  deadline: number;
  timer: NodeJS.Timeout;
}

/**
 * One request to VPS.org, waiting for its turn or sent, whose answer any number of callers await.
 * Each caller waits at most the gate's timeout for it to be sent; once every caller has given up, a
 * request not yet sent never is.
 */
export class SharedRequest<T> {
  readonly operation: string;
  readonly lane: 'change' | 'lookup';
  /** When it was sent (the gate's clock); undefined while it waits for its turn. */
  sentAt: number | undefined;
  /** Resolves once it is answered, has failed, or was withdrawn unsent. */
  readonly settled: Promise<void>;
  readonly #task: () => Promise<T>;
  readonly #gate: Queueing;
  readonly #callers = new Set<Caller<T>>();
  #answer: Promise<T> | undefined;
  #withdrawn = false;
  #settle: () => void = () => {};

  constructor(gate: Queueing, operation: string, lane: 'change' | 'lookup', task: () => Promise<T>) {
    this.#gate = gate;
    this.operation = operation;
    this.lane = lane;
    this.#task = task;
    this.settled = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  /** Neither sent nor withdrawn. */
  get waiting(): boolean {
    return this.#answer === undefined && !this.#withdrawn;
  }

  /** The answer, for one more caller; a caller who waits too long for the sending is told so. */
  wait(): Promise<T> {
    if (this.#answer) return this.#answer;
    return new Promise<T>((resolve, reject) => {
      const since = this.#gate.now();
      const deadline = since + this.#gate.timeoutMs;
      const caller: Caller<T> = {
        resolve,
        reject,
        since,
        deadline,
        timer: setTimeout(() => this.#giveUp(caller), this.#gate.timeoutMs),
      };
      this.#callers.add(caller);
      if (this.#gate.pausedUntil() > deadline) this.#giveUp(caller);
    });
  }

  /** VPS.org asked the bot to wait until `until`: callers whose time ends before it are told now. */
  paused(until: number): void {
    for (const caller of this.#callers) if (caller.deadline < until) this.#giveUp(caller);
  }

  /** Its turn: sends it, and every caller gets its answer. */
  send(): Promise<T> {
    this.sentAt = this.#gate.now();
    let answer: Promise<T>;
    try {
      answer = this.#task();
    } catch (error) {
      answer = Promise.reject(error);
    }
    this.#answer = answer;
    const callers = [...this.#callers];
    for (const caller of callers) clearTimeout(caller.timer);
    this.#callers.clear();
    void answer.then(
      (value) => resumeInTurn(callers, (caller) => caller.resolve(value)),
      (error: unknown) => resumeInTurn(callers, (caller) => caller.reject(error)),
    );
    void answer.then(this.#settle, this.#settle);
    return answer;
  }

  #giveUp(caller: Caller<T>): void {
    if (!this.#callers.delete(caller)) return;
    clearTimeout(caller.timer);
    caller.reject(this.#gate.unsent(this.operation, caller.since));
    if (this.#callers.size > 0 || this.#answer) return;
    this.#withdrawn = true;
    this.#gate.withdraw(this as SharedRequest<unknown>);
    this.#settle();
  }
}
