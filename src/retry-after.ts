/** Delay-seconds: digits only (RFC 9110). `-5`, `0x10`, `1e3` or ` 12 soon` are not a wait. */
const SECONDS = /^\d+$/;
/**
 * An HTTP date (IMF-fixdate, RFC 850 or asctime): a day name, then a time. `Date.parse` alone reads
 * garbage like `foo 1` as a date in 2001, which would mean no wait at all.
 */
const HTTP_DATE = /^[A-Za-z]{3,9},? .*\b\d{1,2}:\d{2}:\d{2}\b/;

/** A Retry-After header in milliseconds from now; undefined when missing or unreadable. */
export function retryAfterMs(header: string | null | undefined, nowMs = Date.now()): number | undefined {
  const value = header?.trim() ?? '';
  if (SECONDS.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isFinite(date) ? date - nowMs : undefined;
}
