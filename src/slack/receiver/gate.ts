import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HTTPModuleFunctions } from '@slack/bolt';
import { errorFields, type Logger } from '../../log.js';
import { requestAbout } from './about.js';
import { screenBody } from './screen.js';

/** How far ahead of the bot's clock a request may be stamped (Slack's rule: 5 minutes either way). */
export const MAX_AHEAD_SECONDS = 5 * 60;

export interface GateOptions {
  signingSecret: string;
  /** The path Slack posts to, `/slack/events`. */
  endpoint: string;
  logger: Logger;
  now: () => number;
}

type Verdict = { pass: true } | { pass: false; status: number; text: string };

const PASS: Verdict = { pass: true };

/**
 * Stands in front of Bolt's HTTP request listener and answers every request to the Slack endpoint
 * that Bolt should not see, at once and deliberately:
 *
 * - 401 for a bad signature or a stale timestamp (Bolt's own check, run here first), and for one
 *   stamped more than 5 minutes ahead, which Bolt lets through;
 * - 400 for a body the bot cannot read (not JSON, not an object, a field its listener reads missing);
 * - 200 and one log line for a well-formed request that is not the bot's (another command, a
 *   shortcut, an event, a button of another app), which would otherwise wait 3 s for a listener.
 *
 * The rest goes on to Bolt untouched, its body already read (Bolt reuses it).
 */
export function gateSlackRequests(next: RequestListener, options: GateOptions): RequestListener {
  const { logger } = options;
  // Later than Bolt's own server callback, which catches what its listener throws: catch it here.
  const handOnLater = (req: IncomingMessage, res: ServerResponse) => {
    try {
      next(req, res);
    } catch (error) {
      logger.error(errorFields(error), 'the receiver failed on a request');
      answer(res, { pass: false, status: 500, text: '' });
    }
  };
  return (req, res) => {
    // Other paths and methods (/healthz, a GET) are Bolt's, as they were.
    if (req.method !== 'POST' || pathOf(req) !== options.endpoint) return next(req, res);
    screen(req, options).then(
      (verdict) => (verdict.pass ? handOnLater(req, res) : answer(res, verdict)),
      (error: unknown) => {
        logger.error(errorFields(error), 'could not screen a request');
        answer(res, { pass: false, status: 500, text: '' });
      },
    );
  };
}

async function screen(req: IncomingMessage, { signingSecret, logger, now }: GateOptions): Promise<Verdict> {
  let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.parseAndVerifyHTTPRequest>>;
  try {
    buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
      { signingSecret, bodyLimit: HTTPModuleFunctions.defaultBodyLimit },
      req,
    );
  } catch (error) {
    if (HTTPModuleFunctions.isRawBodyError(error)) {
      const tooLarge = error.statusCode === 413;
      logger.warn({ reason: error.type }, 'rejected a request whose body could not be read');
      return { pass: false, status: tooLarge ? 413 : 400, text: tooLarge ? 'too large' : 'unreadable body' };
    }
    // Bolt's words: "signature mismatch", "request is stale", a missing header. No secret in them.
    logger.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      'rejected an unsigned request',
    );
    return { pass: false, status: 401, text: '' };
  }
  const ahead = Number(req.headers['x-slack-request-timestamp']) - Math.floor(now() / 1000);
  if (ahead > MAX_AHEAD_SECONDS) {
    logger.warn({ ahead_seconds: ahead }, 'rejected a request stamped in the future');
    return { pass: false, status: 401, text: '' };
  }
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    logger.warn({ problem: 'not JSON' }, 'rejected a malformed request');
    return { pass: false, status: 400, text: 'malformed request: not JSON' };
  }
  const screened = screenBody(body);
  switch (screened.verdict) {
    case 'ours':
    case 'slack':
      return PASS;
    case 'not_ours':
      logger.info(requestAbout(body), 'ignored a request the bot does not handle');
      return { pass: false, status: 200, text: '' };
    case 'malformed':
      logger.warn({ ...requestAbout(body), problem: screened.problem }, 'rejected a malformed request');
      return { pass: false, status: 400, text: `malformed request: ${screened.problem}` };
  }
}

function answer(res: ServerResponse, verdict: Verdict): void {
  if (verdict.pass || res.headersSent) return;
  res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(verdict.text);
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}
