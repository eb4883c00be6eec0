import type { Call, CallPredicate, WaitOptions } from './types.js';

const DEFAULT_TIMEOUT_MS = 5000;
const ARGS_PREVIEW_CHARS = 200;

interface Waiter {
  check(): boolean;
  fail(reason: string): void;
}

function outcome(call: Call): string {
  const response = call.response;
  if (typeof response === 'object' && response !== null && 'ok' in response) {
    if (response.ok === true) return 'ok';
    if ('error' in response) return String(response.error);
  }
  return call.status === 200 ? String(response) : `HTTP ${call.status}`;
}

export function describeCall(call: Call, index: number): string {
  let args = JSON.stringify(call.args);
  if (args.length > ARGS_PREVIEW_CHARS) args = `${args.slice(0, ARGS_PREVIEW_CHARS)}…`;
  return `  ${index + 1}. ${call.method} ${args} -> ${outcome(call)}`;
}

function describeCalls(calls: readonly Call[]): string {
  if (calls.length === 0) return 'No calls were recorded.';
  return `Calls seen (${calls.length}):\n${calls.map(describeCall).join('\n')}`;
}

/** The ordered record of calls, and promises that settle when the calls a test expects have arrived. */
export class CallLog {
  private readonly list: Call[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly onRecord: (call: Call) => void = () => {}) {}

  get calls(): readonly Call[] {
    return this.list;
  }

  record(call: Call): void {
    this.list.push(call);
    this.onRecord(call);
    for (const waiter of [...this.waiters]) waiter.check();
  }

  callsTo(method: string): Call[] {
    return this.list.filter((call) => call.method === method);
  }

  clear(): void {
    this.list.length = 0;
  }

  waitFor(method: string, predicate?: CallPredicate, options: WaitOptions = {}): Promise<Call> {
    return this.waitForCount(method, 1, predicate, options).then(([call]) => {
      if (call === undefined) throw new Error('unreachable: waitForCount resolved without a call');
      return call;
    });
  }

  /** Resolves with the first `count` recorded calls to `method` that match, already recorded or still to come. */
  waitForCount(
    method: string,
    count: number,
    predicate?: CallPredicate,
    options: WaitOptions = {},
  ): Promise<Call[]> {
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new Error(`SlackStandin: waitForCount needs a positive whole count, got ${count}`);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const matching = () =>
      this.list.filter((call) => call.method === method && (predicate === undefined || predicate(call)));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const found = matching();
          if (found.length < count) return false;
          done();
          resolve(found.slice(0, count));
          return true;
        },
        fail: (reason) => {
          done();
          reject(new Error(reason));
        },
      };
      const timer = setTimeout(() => {
        const wanted = count === 1 ? 'a matching call' : `${count} matching calls (saw ${matching().length})`;
        const filter = predicate === undefined ? '' : ' with the given predicate';
        waiter.fail(
          `SlackStandin: waited ${timeoutMs} ms for ${wanted} to ${method}${filter}, in vain. ${describeCalls(this.list)}`,
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  /** Rejects every pending wait, so a closing stand-in leaves no timers behind. */
  abortWaits(reason: string): void {
    for (const waiter of [...this.waiters]) waiter.fail(`${reason} ${describeCalls(this.list)}`);
  }
}
