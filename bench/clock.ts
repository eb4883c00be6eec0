/**
 * Milliseconds since the epoch, sub-millisecond: comparable across the bench's threads, unlike
 * `performance.now()`, whose origin is each thread's own start.
 */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}
