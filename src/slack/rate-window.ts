/** How many things may still happen now so that at most `perMinute` happen in any minute. */
export class RateWindow {
  readonly #perMinute: number;
  readonly #now: () => number;
  /** When each of the last minute's happened, oldest first. */
  readonly #times: number[] = [];

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#perMinute = perMinute;
    this.#now = now;
  }

  room(): number {
    const minuteAgo = this.#now() - 60_000;
    while ((this.#times[0] ?? Number.POSITIVE_INFINITY) <= minuteAgo) this.#times.shift();
    return Math.max(0, this.#perMinute - this.#times.length);
  }

  spend(): void {
    this.#times.push(this.#now());
  }
}
