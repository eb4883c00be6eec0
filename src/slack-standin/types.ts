/** One request the stand-in answered, Web API method or response URL post, in arrival order. */
export interface Call {
  /** The Web API method (e.g. 'chat.postMessage'), or 'response_url' for a post to a response URL. */
  method: string;
  /** The decoded arguments (JSON-string fields such as `blocks` and `view` are parsed); the token is kept apart. */
  args: Record<string, unknown>;
  /** The token from `Authorization: Bearer …`, or from the `token` argument when there is no header. */
  token?: string;
  /** Date.now() when the call was answered. */
  at: number;
  /** The HTTP status answered: 200, 429 when rate limited, 404 for an expired response URL. */
  status: number;
  /** The body answered (the JSON object for Web API calls, the text for response URLs). */
  response: unknown;
}

export type CallPredicate = (call: Call) => boolean;

export interface WaitOptions {
  /** Default 5000. */
  timeoutMs?: number;
}

/** Options for every request the stand-in sends to the bot, as Slack would. */
export interface SendOptions {
  retryNum?: number;
  retryReason?: string;
  /** 'bad' signs with a wrong secret. */
  signature?: 'valid' | 'bad';
  /** Unix seconds to sign and send instead of now, e.g. ten minutes ago for a stale request. */
  timestamp?: number;
  /** Default exactly 'application/x-www-form-urlencoded', as Slack sends commands and interactions. */
  contentType?: string;
  /** Gives up waiting for the bot's answer, e.g. AbortSignal.timeout(2500): the send rejects. */
  signal?: AbortSignal;
}

/** The bot's HTTP acknowledgement. */
export interface SendResult {
  status: number;
  body: string;
  /** The body parsed as JSON, when it is JSON (e.g. a view_submission `response_action`). */
  json?: unknown;
  ms: number;
  /** The exact body sent, so that a retry can repeat it. */
  sent: string;
}

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface SlackOption {
  text: PlainText;
  value: string;
}

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  edited?: { user: string; ts: string };
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
}

/** What a response URL currently shows, when it is not tied to a channel message. */
export interface ResponseMessage {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

export type StoredView = Record<string, unknown> & { id: string; hash: string };
