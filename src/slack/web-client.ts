import { setTimeout as sleep } from 'node:timers/promises';
import { webApi } from '@slack/bolt';

/** Told of every Web API call's outcome: the answer, or the error it ended with. */
export type CallListener = (method: string, error?: unknown) => void;

export interface RateLimitPolicy {
  /** How many times one call waits out a rate limit before it fails. */
  retries: number;
  /** A Retry-After that would take one call's total wait beyond this fails the call at once. */
  maxWaitMs: number;
}

export interface SlackClientOptions extends Omit<webApi.WebClientOptions, 'rejectRateLimitedCalls'> {
  rateLimit: RateLimitPolicy;
  onCall: CallListener;
}

/**
 * The bot's Web API client: every call the bot makes passes through `apiCall` here (WebClient's
 * `chat.postMessage` and the rest are bound to it), which is where two things happen that WebClient
 * itself does not do:
 *
 * - A rate-limited call waits out its own Retry-After, and only it. WebClient's own handling pauses
 *   its whole request queue, so one busy channel would hold back every card, form and notification;
 *   this client is built with `rejectRateLimitedCalls` and waits per call instead.
 * - Every outcome is told to `onCall` (the bot's token health).
 */
export class SlackClient extends webApi.WebClient {
  readonly #rateLimit: RateLimitPolicy;
  readonly #onCall: CallListener;
  readonly #stopping = new AbortController();

  constructor(token: string, { rateLimit, onCall, ...options }: SlackClientOptions) {
    super(token, { ...options, rejectRateLimitedCalls: true });
    this.#rateLimit = rateLimit;
    this.#onCall = onCall;
  }

  override async apiCall(
    method: string,
    options?: Record<string, unknown>,
  ): Promise<webApi.WebAPICallResult> {
    let waitedMs = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await super.apiCall(method, options);
        this.#onCall(method);
        return result;
      } catch (error) {
        const waitMs = this.#retryAfterMs(error, attempt, waitedMs);
        if (waitMs === undefined) {
          this.#onCall(method, error);
          throw error;
        }
        waitedMs += waitMs;
        const waited = await sleep(waitMs, true, { signal: this.#stopping.signal }).catch(() => false);
        if (!waited) {
          this.#onCall(method, error);
          throw error;
        }
      }
    }
  }

  /** Calls waiting out a rate limit fail now, and later ones do not wait: the bot is stopping. */
  stopWaiting(): void {
    this.#stopping.abort();
  }

  #retryAfterMs(error: unknown, attempt: number, waitedMs: number): number | undefined {
    if (!(error instanceof webApi.WebAPIRateLimitedError) || this.#stopping.signal.aborted) return undefined;
    const waitMs = error.retryAfter * 1000;
    if (attempt >= this.#rateLimit.retries || waitedMs + waitMs > this.#rateLimit.maxWaitMs) return undefined;
    return waitMs;
  }
}
