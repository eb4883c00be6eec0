import PQueue from 'p-queue';

/** Requests to Slack, at most `concurrency` under way at once; more wait their turn, in order. */
export interface SlackRequests {
  /** `fetch` in turn: the Web API client's. */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Any request in turn, held until `task` settles: replies to response URLs. */
  run: <T>(task: () => Promise<T>) => Promise<T>;
}

/**
 * One bound for every request to Slack. When one answer from VPS.org serves a storm of lookups, its
 * thousands of replies would otherwise each open a connection to Slack in the same instant, and the
 * bot's memory would follow.
 */
export function slackRequests(
  concurrency: number,
  fetch: typeof globalThis.fetch = globalThis.fetch,
): SlackRequests {
  const queue = new PQueue({ concurrency });
  return {
    fetch: (input, init) => queue.add(() => fetch(input, init)),
    run: (task) => queue.add(task),
  };
}
