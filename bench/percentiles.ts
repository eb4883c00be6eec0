/** p50, p95, p99 and max of a set of samples (milliseconds, usually), and how many there were. */
export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The nearest-rank percentile of ascending `sorted` samples: the smallest sample that at least p% of all
 * samples are less than or equal to. Always one of the samples, never an interpolation; NaN when empty.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: p must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** The one place percentiles are computed: from every sample, sorted once. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = samples.filter((sample) => Number.isFinite(sample)).sort((a, b) => a - b);
  if (sorted.length !== samples.length) throw new Error('summarize: every sample must be a finite number');
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] ?? Number.NaN),
  };
}
