import { matches } from './faults.js';

export interface HoldRule {
  /** 'GET', 'POST', ... or '*'. */
  method: string;
  /** An exact pathname like '/api/v1/servers/12345/', or a RegExp tested against the pathname. */
  path: string | RegExp;
  /** Hold only the first this many matching requests; default every one until released. */
  times?: number;
}

export interface HoldSummary {
  id: number;
  method: string;
  path: string;
  /** Answers held right now. */
  held: number;
  /** Matching requests so far. */
  matched: number;
  released: boolean;
}

/**
 * Answers to matching requests wait until the test releases them. The answer is made when the
 * request arrives (the state of that moment) and only its delivery waits, as with a real API whose
 * answer is slow to come back.
 */
export class Hold {
  readonly id: number;
  readonly rule: Required<Pick<HoldRule, 'method' | 'path'>> & { times: number | undefined };
  #matched = 0;
  #released = false;
  readonly #held = new Set<() => void>();
  readonly #watchers = new Set<() => void>();

  constructor(id: number, rule: HoldRule) {
    this.id = id;
    this.rule = { ...checkHold(rule), times: rule.times };
  }

  get held(): number {
    return this.#held.size;
  }

  get released(): boolean {
    return this.#released;
  }

  /** Takes a matching request if this hold still holds: true when its answer must wait. */
  take(method: string, pathname: string): boolean {
    if (this.#released || !matches(this.rule, method, pathname)) return false;
    if (this.rule.times !== undefined && this.#matched >= this.rule.times) return false;
    this.#matched += 1;
    return true;
  }

  /** Resolves true once released, false when `signal` aborts first (the client left, the simulator closed). */
  until(signal: AbortSignal): Promise<boolean> {
    if (this.#released) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const release = () => {
        signal.removeEventListener('abort', abort);
        resolve(true);
      };
      const abort = () => {
        this.#held.delete(release);
        this.#notify();
        resolve(false);
      };
      this.#held.add(release);
      signal.addEventListener('abort', abort, { once: true });
      this.#notify();
    });
  }

  /** Lets every held answer go, and every later one through. Returns how many it let go. */
  release(): number {
    this.#released = true;
    const held = [...this.#held];
    this.#held.clear();
    for (const release of held) release();
    this.#notify();
    return held.length;
  }

  /** Resolves once `count` answers are held at the same time. */
  waitForHeld(count: number, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.#held.size < count) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`hold ${this.id}: ${this.#held.size} answers held, not ${count}, within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#watchers.delete(check);
      };
      this.#watchers.add(check);
      check();
    });
  }

  summary(): HoldSummary {
    return {
      id: this.id,
      method: this.rule.method,
      path: String(this.rule.path),
      held: this.held,
      matched: this.#matched,
      released: this.#released,
    };
  }

  #notify(): void {
    for (const check of [...this.#watchers]) check();
  }
}

function checkHold(rule: HoldRule): { method: string; path: string | RegExp } {
  if (typeof rule !== 'object' || rule === null) throw new Error('hold: a rule must be an object');
  const { method, path, times } = rule;
  if (typeof method !== 'string' || method.trim() === '') {
    throw new Error("hold: method must be an HTTP method like 'GET', or '*'");
  }
  if (!(typeof path === 'string' && path.startsWith('/')) && !(path instanceof RegExp)) {
    throw new Error("hold: path must be a pathname starting with '/' or a RegExp");
  }
  if (times !== undefined && (!Number.isSafeInteger(times) || times < 1)) {
    throw new Error('hold: times must be a positive integer');
  }
  return { method: method.toUpperCase(), path };
}
