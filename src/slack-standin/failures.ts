export type Failure =
  | { kind: 'error'; error: string }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** A response URL answers this HTTP status. */
  | { kind: 'status'; status: number }
  /** A response URL drops the connection without an answer. */
  | { kind: 'reset' };

export interface FailureOptions {
  /** How many matching calls fail; default 1. */
  times?: number;
  /** Only calls whose (decoded) arguments satisfy this fail. */
  match?: (args: Record<string, unknown>) => boolean;
}

interface Rule {
  method: string;
  remaining: number;
  match: ((args: Record<string, unknown>) => boolean) | undefined;
  failure: Failure;
}

/** Injected failures, used first-registered first, each for a limited number of matching calls. */
export class FailureRules {
  private rules: Rule[] = [];

  /** Returns a function that withdraws the rule before its calls are used up. */
  add(method: string, failure: Failure, options: FailureOptions = {}): () => void {
    const times = options.times ?? 1;
    if (!Number.isSafeInteger(times) || times < 1) {
      throw new Error(`SlackStandin: times must be a positive integer, got ${String(times)}`);
    }
    const rule: Rule = { method, remaining: times, match: options.match, failure };
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
  }

  take(method: string, args: Record<string, unknown>): Failure | undefined {
    const rule = this.rules.find((r) => r.method === method && (r.match === undefined || r.match(args)));
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.failure;
  }

  clear(): void {
    this.rules = [];
  }
}
