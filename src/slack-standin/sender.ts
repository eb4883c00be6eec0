import { performance } from 'node:perf_hooks';
import { signSlackRequest } from './sign.js';
import type { SendOptions, SendResult } from './types.js';

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const FORM = 'application/x-www-form-urlencoded';

/**
 * POSTs a body to the bot signed as Slack signs it, and reports the bot's acknowledgement. Commands and
 * interactions are forms; Events API deliveries are JSON.
 */
export async function sendSigned(
  url: string | undefined,
  body: string,
  signingSecret: string,
  options: SendOptions = {},
  contentType: typeof FORM | 'application/json' = FORM,
): Promise<SendResult> {
  if (url === undefined)
    throw new Error('SlackStandin: set standin.botUrl before sending requests to the bot');
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = options.signature === 'bad' ? `${signingSecret}-but-wrong` : signingSecret;
  const headers: Record<string, string> = {
    // Exactly this: Bolt parses a form body only when the header has no charset.
    'Content-Type': options.contentType ?? contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': signSlackRequest(secret, body, timestamp),
  };
  if (options.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = options.retryReason;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const json = parseJson(text);
  return { status: response.status, body: text, ...(json === undefined ? {} : { json }), ms, sent: body };
}
