import { HTTPError } from 'ky';
import { retryAfterMs } from '../retry-after.js';

/** However long VPS.org asks, the bot tries again after at most this: it then learns the wait anew. */
export const MAX_PAUSE_MS = 60_000;

/**
 * How long the whole process waits after a 429: what VPS.org's Retry-After says (seconds, or an HTTP
 * date; a date already past means no wait), or else the backoff before the next attempt, as the
 * client waits before retrying it. A Retry-After that is neither (negative, garbage) counts as none.
 */
export function pauseAfter429(response: Response, backoffMs: number, nowMs = Date.now()): number {
  const ms = retryAfterMs(response.headers.get('retry-after'), nowMs) ?? backoffMs;
  return Math.min(Math.max(0, ms), MAX_PAUSE_MS);
}

/** How long a 503 asks its own retry to wait (never negative); undefined without a readable Retry-After. */
export function retryAfter503(error: Error): number | undefined {
  if (!(error instanceof HTTPError) || error.response.status !== 503) return undefined;
  const ms = retryAfterMs(error.response.headers.get('retry-after'));
  return ms === undefined ? undefined : Math.max(0, ms);
}
