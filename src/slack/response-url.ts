import ky, { HTTPError, TimeoutError } from 'ky';
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
  /** Backoff before retry n (1-based). Default ky's: 300 ms, doubling. */
  delayMs?: (attempt: number) => number;
  /** How long one attempt may take. Default 10 s. */
  timeoutMs?: number;
}

/** Slack's response URLs fail now and then with a 5xx; these are worth another try. */
const RETRIED_STATUSES = [500, 502, 503, 504];
/** The longest Retry-After honoured on a 503: a reply later than this is not worth waiting for. */
const MAX_RETRY_AFTER_MS = 5000;

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

function replyError(error: unknown): ReplyError {
  if (error instanceof HTTPError) {
    const { status } = error.response;
    return new ReplyError(`the response_url answered HTTP ${status}`, status);
  }
  if (error instanceof TimeoutError) return new ReplyError('the response_url did not answer in time');
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new ReplyError(`the response_url could not be reached${cause}`);
}

/**
 * Posts to response URLs, retrying a network failure or a 5xx a bounded number of times with backoff
 * (ky's own retry, POST included), then giving up with one ReplyError. A timeout is not retried: the
 * reply may have arrived. Used for every reply: handlers' (instead of Bolt's respond(), which throws
 * on a non-2xx and never retries) and live cards'.
 */
export function responseUrlPoster(
  options: ReplyRetry = {},
  fetch: typeof globalThis.fetch = globalThis.fetch,
): PostToResponseUrl {
  const http = ky.create({
    fetch,
    timeout: options.timeoutMs ?? 10_000,
    retry: {
      limit: options.limit ?? 3,
      methods: ['post'],
      statusCodes: RETRIED_STATUSES,
      afterStatusCodes: [503],
      maxRetryAfter: MAX_RETRY_AFTER_MS,
      retryOnTimeout: false,
      ...(options.delayMs ? { delay: options.delayMs } : {}),
    },
  });
  return async (url, message) => {
    try {
      await http.post(url, { json: message });
    } catch (error) {
      throw replyError(error);
    }
  };
}

/** The poster with production settings, for callers outside the bot's wiring. */
export const postToResponseUrl: PostToResponseUrl = responseUrlPoster();
