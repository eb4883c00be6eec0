import type { FaultRule } from './types.js';

interface Queued {
  rule: FaultRule;
  left: number;
  /** Matching requests seen, for a rule that applies to every n-th. */
  seen: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws an Error naming the first thing wrong with a rule. */
export function checkFault(rule: FaultRule): FaultRule {
  if (!isRecord(rule)) throw new Error('fault: a rule must be an object');
  const { method, path, times, every, status, headers, hangMs, reset } = rule;
  if (typeof method !== 'string' || method.trim() === '') {
    throw new Error("fault: method must be an HTTP method like 'GET', or '*'");
  }
  if (!(typeof path === 'string' && path.startsWith('/')) && !(path instanceof RegExp)) {
    throw new Error("fault: path must be a pathname starting with '/' or a RegExp");
  }
  if (times !== undefined && (!Number.isSafeInteger(times) || times < 1)) {
    throw new Error('fault: times must be a positive integer');
  }
  if (every !== undefined && (!Number.isSafeInteger(every) || every < 1)) {
    throw new Error('fault: every must be a positive integer');
  }
  if (status !== undefined && (!Number.isSafeInteger(status) || status < 200 || status > 599)) {
    throw new Error('fault: status must be an integer from 200 to 599');
  }
  if (
    headers !== undefined &&
    (!isRecord(headers) || Object.values(headers).some((v) => typeof v !== 'string'))
  ) {
    throw new Error('fault: headers must be an object of string values');
  }
  if (hangMs !== undefined && (typeof hangMs !== 'number' || !Number.isFinite(hangMs) || hangMs < 0)) {
    throw new Error('fault: hangMs must be a number of milliseconds >= 0');
  }
  if (reset !== undefined && typeof reset !== 'boolean')
    throw new Error('fault: reset must be true or false');
  if (reset && status !== undefined) throw new Error('fault: give either status or reset, not both');
  if (status === undefined && !reset && hangMs === undefined && headers === undefined) {
    throw new Error('fault: give at least one of status, reset, hangMs or headers');
  }
  return {
    ...rule,
    method: method.toUpperCase(),
    headers: headers && { ...headers },
  };
}

/**
 * Faults apply in the order queued; one request consumes at most one rule. A rule with `every: n`
 * lets the other matching requests pass to the rules after it and stays until reset, unless `times`
 * bounds it.
 */
export class FaultQueue {
  private queue: Queued[] = [];

  add(rule: FaultRule): void {
    const checked = checkFault(rule);
    const left = checked.times ?? (checked.every === undefined ? 1 : Number.POSITIVE_INFINITY);
    this.queue.push({ rule: checked, left, seen: 0 });
  }

  take(method: string, pathname: string): FaultRule | undefined {
    const index = this.queue.findIndex((queued) => {
      if (!matches(queued.rule, method, pathname)) return false;
      if (queued.rule.every === undefined) return true;
      queued.seen += 1;
      return queued.seen % queued.rule.every === 0;
    });
    const queued = this.queue[index];
    if (!queued) return undefined;
    queued.left -= 1;
    if (queued.left <= 0) this.queue.splice(index, 1);
    return queued.rule;
  }

  clear(): void {
    this.queue = [];
  }

  get size(): number {
    return this.queue.length;
  }
}

/** Whether a rule (a fault's, a hold's) names this request's method and path. */
export function matches(rule: Pick<FaultRule, 'method' | 'path'>, method: string, pathname: string): boolean {
  if (rule.method !== '*' && rule.method !== method.toUpperCase()) return false;
  if (typeof rule.path === 'string') return rule.path === pathname;
  // A global or sticky RegExp remembers where it stopped; start over each time.
  rule.path.lastIndex = 0;
  return rule.path.test(pathname);
}
