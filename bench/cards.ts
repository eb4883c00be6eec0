import type { Call, SlackStandin } from '../src/slack-standin/index.js';
import { wallClock } from './clock.js';

/** When the first post to each response URL (the bot's reply to a command) reached the stand-in. */
export class ReplyClock {
  readonly #arrived = new Map<string, { at: number; call: Call }>();
  readonly #wakers = new Set<() => void>();
  readonly #listener = (call: Call) => {
    if (call.method !== 'response_url' || typeof call.args.url !== 'string') return;
    if (!this.#arrived.has(call.args.url)) this.#arrived.set(call.args.url, { at: wallClock(), call });
    for (const wake of this.#wakers) wake();
  };

  constructor(private readonly slack: SlackStandin) {
    slack.on('call', this.#listener);
  }

  /** wallClock() when the reply to `url` was recorded, if it was. */
  arrivedAt(url: string): number | undefined {
    return this.#arrived.get(url)?.at;
  }

  reply(url: string): Call | undefined {
    return this.#arrived.get(url)?.call;
  }

  /** Resolves true once `url` got its reply, or false after `timeoutMs`. */
  waitFor(url: string, timeoutMs: number): Promise<boolean> {
    if (this.#arrived.has(url)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!this.#arrived.has(url)) return;
        done();
        resolve(true);
      };
      const timer = setTimeout(() => {
        done();
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(check);
      };
      this.#wakers.add(check);
    });
  }

  /** Resolves once every URL got its reply, or after `timeoutMs` with those still missing. */
  waitForAll(urls: readonly string[], timeoutMs: number): Promise<string[]> {
    const missing = () => urls.filter((url) => !this.#arrived.has(url));
    return new Promise((resolve) => {
      const check = () => {
        if (missing().length > 0) return;
        done();
        resolve([]);
      };
      const timer = setTimeout(() => {
        done();
        resolve(missing());
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(check);
      };
      this.#wakers.add(check);
      check();
    });
  }

  dispose(): void {
    this.slack.off('call', this.#listener);
  }
}
