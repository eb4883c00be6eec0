import type { CommandResult, SlackStandin } from '../src/slack-standin/index.js';

/** One acknowledged request: how long the ack took, what it answered, and when it was sent. */
export interface Ack {
  /** Milliseconds from sending the request to the whole ack response read. */
  ms: number;
  status: number;
  /** performance.now() just before the request went out. */
  sentAt: number;
  responseUrl: string;
}

export interface LoadResult {
  acks: Ack[];
  /** Requests that got no HTTP answer at all (connection refused, reset...). */
  errors: string[];
  wallMs: number;
}

/**
 * A closed-loop load: `concurrency` workers, each sending its next request as soon as the previous
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
  const worker = async () => {
    while (next < total) {
      const index = next++;
      try {
        results.push(await send(index));
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, worker));
  return { results, errors, wallMs: performance.now() - started };
}

/**
 * `/vps <text>` slash commands, signed exactly as Slack signs them (the stand-in's `command()`: a fresh
 * timestamp, HMAC-SHA256 v0 signature, `application/x-www-form-urlencoded`, its own response_url and
 * trigger_id each), over Node's built-in fetch (undici), to whatever bot `standin.botUrl` points at.
 */
export async function slashCommands(
  standin: SlackStandin,
  botUrl: string,
  options: { total: number; concurrency: number; text: (index: number) => string },
): Promise<LoadResult> {
  standin.botUrl = botUrl;
  const { results, errors, wallMs } = await closedLoop(options.total, options.concurrency, async (index) => {
    const sentAt = performance.now();
    const sent: CommandResult = await standin.command({ text: options.text(index) });
    return { ms: sent.ms, status: sent.status, sentAt, responseUrl: sent.responseUrl } satisfies Ack;
  });
  return { acks: results, errors, wallMs };
}
