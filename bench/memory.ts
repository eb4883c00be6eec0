import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LINUX = process.platform === 'linux';

/**
 * A process's resident set in kB: Linux's VmHWM (the kernel's own high-water mark, so nothing between
 * two samples is missed) or VmRSS; elsewhere `ps -o rss=` (current only). Undefined once it is gone.
 */
export function rssKb(pid: number, which: 'peak' | 'now'): number | undefined {
  try {
    if (!LINUX) {
      const text = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      return text === '' ? undefined : Number(text);
    }
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = which === 'peak' ? 'VmHWM' : 'VmRSS';
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** The highest resident set a process reached while it was watched, sampled every `everyMs`. */
export class PeakRss {
  #peakKb = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    everyMs = 250,
  ) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
  }

  sample(): void {
    const kb = rssKb(this.pid, 'peak');
    if (kb !== undefined && kb > this.#peakKb) this.#peakKb = kb;
  }

  /** Takes a last sample (call it before the process ends) and stops watching. */
  stop(): number {
    this.sample();
    clearInterval(this.#timer);
    return this.peakMb;
  }

  /** In MB of 10^6 bytes (the kernel's kB are KiB), the stricter reading of a "150 MB" target. */
  get peakMb(): number {
    return this.#peakKb === 0 ? Number.NaN : (this.#peakKb * 1024) / 1e6;
  }
}
