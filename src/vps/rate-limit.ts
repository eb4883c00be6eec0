/** However long VPS.org asks, the bot tries again after at most this: it then learns the wait anew. */
export const MAX_PAUSE_MS = 60_000;

/**
 * How long the whole process waits after a 429: what VPS.org's Retry-After says (seconds, or an HTTP
 * date), or else the backoff before the next attempt, as ky would wait before retrying it.
 */
export function pauseAfter429(response: Response, backoffMs: number, nowMs = Date.now()): number {
  const retryAfter = response.headers.get('retry-after')?.trim();
  let ms = backoffMs;
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(seconds)) ms = seconds * 1000;
    else if (Number.isFinite(date)) ms = date - nowMs;
  }
  return Math.min(Math.max(0, ms), MAX_PAUSE_MS);
}
