import { Agent, type Dispatcher, errors, RetryAgent, request } from 'undici';
import { retryAfterMs } from '../retry-after.js';
import type { SlackMessage } from './blocks/kit.js';

export interface ResponseUrlMessage extends Partial<SlackMessage> {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
}

/** Posts one message to a response_url; rejects with a ReplyError once it has given up. */
export type PostToResponseUrl = (url: string, message: ResponseUrlMessage) => Promise<void>;

export interface ReplyRetry {
  /** Retries after the first attempt. Default 3. */
  limit?: number;
  /** Backoff before retry n (1-based). Default 300 ms, doubling. */
  delayMs?: (attempt: number) => number;
  /** How long one attempt may take. Default 10 s. */
  timeoutMs?: number;
}

/** Runs one request in its turn among the bot's requests to Slack (see slack-requests.ts). */
export type InTurn = <T>(task: () => Promise<T>) => Promise<T>;

/** Slack's response URLs fail now and then with a 5xx; these are worth another try. */
const RETRIED_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);
/** An attempt that ran out of time: not retried, because the reply may have arrived. */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
/** The longest Retry-After honoured on a 503: a reply later than this is not worth waiting for. */
const MAX_RETRY_AFTER_MS = 5000;

const backoff = (attempt: number) => 300 * 2 ** (attempt - 1);

/**
 * Why a reply was given up, in words that never hold the URL: a response_url lets whoever has it
 * post in the channel, so it stays out of log lines.
 */
export class ReplyError extends Error {
  override name = 'ReplyError';
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

function codeOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function replyError(error: unknown): ReplyError {
  if (error instanceof ReplyError) return error;
  if (TIMEOUT_CODES.has(codeOf(error) ?? ''))
    return new ReplyError('the response_url did not answer in time');
  // undici's messages name the host and port at most (`connect ECONNREFUSED 127.0.0.1:9`), never the path.
  const cause = error instanceof Error ? `: ${error.message}` : '';
  return new ReplyError(`the response_url could not be reached${cause}`);
}

/**
 * How long to wait before retry `attempt`, or undefined when the failure is not worth another try.
 * `droppedCodes`: the connection failures to retry, undici's own list (its RetryAgent's `errorCodes`).
 */
export function retryWait(
  error: Error,
  attempt: number,
  retry: Required<ReplyRetry>,
  droppedCodes: readonly string[],
): number | undefined {
  if (attempt > retry.limit) return undefined;
  if (error instanceof errors.RequestRetryError) {
    if (!RETRIED_STATUSES.has(error.statusCode)) return undefined;
    const header = error.headers?.['retry-after'];
    const asked =
      error.statusCode === 503 ? retryAfterMs(Array.isArray(header) ? header[0] : header) : undefined;
    return asked === undefined ? retry.delayMs(attempt) : Math.min(Math.max(0, asked), MAX_RETRY_AFTER_MS);
  }
  return droppedCodes.includes(codeOf(error) ?? '') ? retry.delayMs(attempt) : undefined;
}

/**
 * Posts to response URLs, retrying a network failure or a 5xx a bounded number of times with backoff
 * (undici's RetryAgent, POST included, with this policy), then giving up with one ReplyError. A
 * timeout is not retried: the reply may have arrived. Used for every reply: handlers' (instead of
 * Bolt's respond(), which throws on a non-2xx and never retries) and live cards'.
 *
 * undici's `request` rather than `fetch`: a reply is on every command's path, and fetch's Request,
 * Response and stream objects cost it about as much as all of the bot's own steps (README,
 * "One command's own cost").
 */
export function responseUrlPoster(
  options: ReplyRetry = {},
  inTurn: InTurn = (task) => task(),
): PostToResponseUrl {
  const retry: Required<ReplyRetry> = {
    limit: options.limit ?? 3,
    delayMs: options.delayMs ?? backoff,
    timeoutMs: options.timeoutMs ?? 10_000,
  };
  const dispatcher: Dispatcher = new RetryAgent(
    new Agent({
      connect: { timeout: retry.timeoutMs },
      headersTimeout: retry.timeoutMs,
      bodyTimeout: retry.timeoutMs,
    }),
    {
      methods: ['POST'],
      // A retried status comes back as the last answer, not an error, once the retries are spent.
      throwOnError: false,
      retry: (error, { state, opts }, next) => {
        const wait = retryWait(error, state.counter, retry, opts.retryOptions?.errorCodes ?? []);
        if (wait === undefined) next(error);
        else setTimeout(() => next(null), wait);
      },
    },
  );
  return async (url, message) => {
    const body = JSON.stringify(message);
    try {
      const status = await inTurn(async () => {
        const answer = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          dispatcher,
        });
        await answer.body.dump();
        return answer.statusCode;
      });
      if (status < 200 || status >= 300)
        throw new ReplyError(`the response_url answered HTTP ${status}`, status);
    } catch (error) {
      throw replyError(error);
    }
  };
}

/** The poster with production settings, for callers outside the bot's wiring. */
export const postToResponseUrl: PostToResponseUrl = responseUrlPoster();
