import type { IncomingMessage, ServerResponse } from 'node:http';

/** What `/healthz` answers: 200 `{ok: true}`, or 503 with each failing condition and why. */
export interface HealthReport {
  ok: boolean;
  failing?: Record<string, string>;
}

/**
 * The bot's health as named conditions, each passing or failing for a stated reason. Each part owns
 * its condition (`serving`, `slack_token`, a store's own, ...); the bot is healthy when none fails.
 */
export class Health {
  readonly #failing = new Map<string, string>();
  /** Conditions asked at each report, for parts that know their state but do not announce it. */
  readonly #probes = new Map<string, () => string | undefined>();

  /** Marks a condition failing; true when that is news (it passed, or failed for another reason). */
  fail(condition: string, reason: string): boolean {
    if (this.#failing.get(condition) === reason) return false;
    this.#failing.set(condition, reason);
    return true;
  }

  /** Marks a condition passing; true when it was failing. */
  pass(condition: string): boolean {
    return this.#failing.delete(condition);
  }

  /** A condition asked at each report: `check` answers why it fails, or undefined while it passes. */
  probe(condition: string, check: () => string | undefined): void {
    this.#probes.set(condition, check);
  }

  get ok(): boolean {
    return this.#failures().size === 0;
  }

  report(): HealthReport {
    const failing = this.#failures();
    return failing.size === 0 ? { ok: true } : { ok: false, failing: Object.fromEntries(failing) };
  }

  #failures(): Map<string, string> {
    const failing = new Map(this.#failing);
    for (const [condition, check] of this.#probes) {
      const reason = check();
      if (reason !== undefined) failing.set(condition, reason);
    }
    return failing;
  }
}

/** `GET /healthz`, as a Bolt custom route. */
export function healthRoute(health: Health) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      const report = health.report();
      res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(report));
    },
  };
}
