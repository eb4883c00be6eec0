import { Worker } from 'node:worker_threads';
import type { SlackStandin } from '../src/slack-standin/index.js';

/** One acknowledged request: how long the ack took, what it answered, and when it was sent. */
export interface Ack {
  /** Milliseconds from sending the request to the whole ack response read. */
  ms: number;
  status: number;
  /** wallClock() just before the request went out. */
  sentAt: number;
  responseUrl: string;
  /** Which of the commands it was (the `text(index)` it was sent with). */
  index: number;
}

export interface LoadResult {
  acks: Ack[];
  /** Requests that got no HTTP answer at all (connection refused, reset...). */
  errors: string[];
  wallMs: number;
}

/**
 * The load thread's module. Node 20 does not pass `--import` loaders on to workers, so the worker
 * first registers tsx through its API, then imports the TypeScript file.
 */
const LOAD_WORKER = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(new URL('./load-worker.ts', import.meta.url).href)});`,
  )}`,
);

interface LoadThread {
  run(job: LoadJob): Promise<{ results: SentCommand[]; errors: string[]; wallMs: number }>;
}

let thread: LoadThread | undefined;

/** The one load thread, started on first use; it never keeps the process alive. */
function loadThread(): LoadThread {
  if (thread) return thread;
  const worker = new Worker(LOAD_WORKER);
  worker.unref();
  let queue: Promise<unknown> = Promise.resolve();
  thread = {
    run(job) {
      const result = queue.then(
        () =>
          new Promise<{ results: SentCommand[]; errors: string[]; wallMs: number }>((resolve, reject) => {
            const fail = (error: Error) => {
              worker.off('message', resolve);
              reject(error);
            };
            worker.once(
              'message',
              (outcome: { results: SentCommand[]; errors: string[]; wallMs: number }) => {
                worker.off('error', fail);
                resolve(outcome);
              },
            );
            worker.once('error', fail);
            worker.postMessage(job);
          }),
      );
      queue = result.catch(() => undefined);
      return result;
    },
  };
  return thread;
}

/** What the load thread is given: the bodies to send, signed as they go. */
export interface LoadJob {
  url: string;
  signingSecret: string;
  concurrency: number;
  bodies: string[];
}

export interface SentCommand {
  index: number;
  status: number;
  sentAt: number;
  ms: number;
}

/**
 * A closed-loop load: `concurrency` senders, each sending its next request as soon as the previous
 * one is acked, until `total` have been sent.
 */
export async function closedLoop<T>(
  total: number,
  concurrency: number,
  send: (index: number) => Promise<T>,
): Promise<{ results: T[]; errors: string[]; wallMs: number }> {
  const results: T[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < total) {
      const index = next++;
      try {
        results.push(await send(index));
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, sender));
  return { results, errors, wallMs: performance.now() - started };
}

/**
 * `/vps <text>` slash commands, signed exactly as Slack signs them (a fresh timestamp, HMAC-SHA256 v0
 * signature, `application/x-www-form-urlencoded`, each with its own response_url and trigger_id from
 * the stand-in), sent over Node's built-in fetch from a worker thread (see load-worker.ts).
 */
export async function slashCommands(
  standin: SlackStandin,
  botUrl: string,
  options: { total: number; concurrency: number; text: (index: number) => string },
): Promise<LoadResult> {
  const prepared = Array.from({ length: options.total }, (_, index) =>
    standin.prepareCommand({ text: options.text(index) }),
  );
  const job: LoadJob = {
    url: botUrl,
    signingSecret: standin.signingSecret,
    concurrency: options.concurrency,
    bodies: prepared.map((command) => command.body),
  };
  const outcome = await loadThread().run(job);
  const acks = outcome.results.map((sent) => ({
    ms: sent.ms,
    status: sent.status,
    sentAt: sent.sentAt,
    responseUrl: prepared[sent.index]?.responseUrl ?? '',
    index: sent.index,
  }));
  return { acks, errors: outcome.errors, wallMs: outcome.wallMs };
}
