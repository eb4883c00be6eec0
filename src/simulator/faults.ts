import type { FaultRule } from './types.js';

interface Queued {
  rule: FaultRule;
  left: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws an Error naming the first thing wrong with a rule. */
export function checkFault(rule: FaultRule): FaultRule {
  if (!isRecord(rule)) throw new Error('fault: a rule must be an object');
  const { method, path, times, status, headers, hangMs, reset } = rule;
  if (typeof method !== 'string' || method.trim() === '') {
    throw new Error("fault: method must be an HTTP method like 'GET', or '*'");
  }
  if (!(typeof path === 'string' && path.startsWith('/')) && !(path instanceof RegExp)) {
    throw new Error("fault: path must be a pathname starting with '/' or a RegExp");
  }
  if (times !== undefined && (!Number.isSafeInteger(times) || times < 1)) {
    throw new Error('fault: times must be a positive integer');
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

/** Faults apply in the order queued; one request consumes at most one rule. */
export class FaultQueue {
  private queue: Queued[] = [];

  add(rule: FaultRule): void {
    const checked = checkFault(rule);
    this.queue.push({ rule: checked, left: checked.times ?? 1 });
  }

  take(method: string, pathname: string): FaultRule | undefined {
    const index = this.queue.findIndex(({ rule }) => matches(rule, method, pathname));
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

function matches(rule: FaultRule, method: string, pathname: string): boolean {
  if (rule.method !== '*' && rule.method !== method.toUpperCase()) return false;
  if (typeof rule.path === 'string') return rule.path === pathname;
  // A global or sticky RegExp remembers where it stopped; start over each time.
  rule.path.lastIndex = 0;
  return rule.path.test(pathname);
}
