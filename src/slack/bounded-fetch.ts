import PQueue from 'p-queue';

/**
 * `fetch` with at most `concurrency` requests under way at once; more wait their turn, in order.
 * When one answer from VPS.org serves a storm of lookups, its thousands of replies would otherwise
 * each open a connection to Slack in the same instant, and the bot's memory would follow.
 */
export function boundedFetch(concurrency: number, fetch: typeof globalThis.fetch = globalThis.fetch) {
  const queue = new PQueue({ concurrency });
  return (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    queue.add(() => fetch(input, init));
}
