import { HTTPError } from 'ky';

/** However long VPS.org asks, the bot tries again after at most this: it then learns the wait anew. */
export const MAX_PAUSE_MS = 60_000;

/** Delay-seconds: digits only (RFC 9110). `-5`, `0x10`, `1e3` or ` 12 soon` are not a wait. */
const SECONDS = /^\d+$/;
/**
 * An HTTP date (IMF-fixdate, RFC 850 or asctime): a day name, then a time. `Date.parse` alone reads
 * garbage like `foo 1` as a date in 2001, which would mean no wait at all.
 */
const HTTP_DATE = /^[A-Za-z]{3,9},? .*\b\d{1,2}:\d{2}:\d{2}\b/;

/**
 * How long the whole process waits after a 429: what VPS.org's Retry-After says (seconds, or an HTTP
 * date; a date already past means no wait), or else the backoff before the next attempt, as the
 * client waits before retrying it. A Retry-After that is neither (negative, garbage) counts as none.
 */
export function pauseAfter429(response: Response, backoffMs: number, nowMs = Date.now()): number {
  const ms = retryAfterMs(response.headers.get('retry-after'), nowMs) ?? backoffMs;
  return Math.min(Math.max(0, ms), MAX_PAUSE_MS);
}

/** A Retry-After header in milliseconds from now; undefined when missing or unreadable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | undefined {
  const value = header?.trim() ?? '';
  if (SECONDS.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isFinite(date) ? date - nowMs : undefined;
}

/** How long a 503 asks its own retry to wait (never negative); undefined without a readable Retry-After. */
export function retryAfter503(error: Error): number | undefined {
  if (!(error instanceof HTTPError) || error.response.status !== 503) return undefined;
  const ms = retryAfterMs(error.response.headers.get('retry-after'));
  return ms === undefined ? undefined : Math.max(0, ms);
}
