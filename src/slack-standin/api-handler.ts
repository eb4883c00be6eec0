import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord } from './args.js';
import type { CallLog } from './call-log.js';
import type { FailureRules } from './failures.js';
import { bearerToken, parseArgs, readText } from './http-body.js';
import { APP_LEVEL_METHODS, connectionsOpen } from './methods/apps.js';
import { type ApiResult, fail, METHODS } from './methods/index.js';
import { RESPONSE_PATH, type ResponseUrlStore } from './response-urls.js';
import type { Workspace } from './state.js';

export const API_PATH = '/api/';

export interface ApiDeps {
  botToken: string;
  /** The app-level token apps.connections.open takes. */
  appToken: string;
  /** Issues a Socket Mode URL; undefined while the stand-in has no Socket Mode side. */
  socketUrl: (() => string) | undefined;
  workspace: Workspace;
  failures: FailureRules;
  responses: ResponseUrlStore;
  log: CallLog;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function sendReply(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}

function runMethod(deps: ApiDeps, method: string, args: Record<string, unknown>, token: string | undefined) {
  if (APP_LEVEL_METHODS.has(method)) return runAppLevel(deps, token);
  const handler = METHODS.get(method);
  if (handler === undefined) return { status: 200, result: fail('unknown_method') };
  // Slack itself says not_authed for a missing token; the stand-in's contract is invalid_auth for both.
  if (token !== deps.botToken) return { status: 200, result: fail('invalid_auth') };
  const failure = deps.failures.take(method, args);
  if (failure?.kind === 'rate-limit') {
    return { status: 429, retryAfter: failure.retryAfterSeconds, result: fail('ratelimited') };
  }
  if (failure?.kind === 'error') return { status: 200, result: fail(failure.error) };
  try {
    return { status: 200, result: handler(args, deps.workspace) };
  } catch (error) {
    return { status: 200, result: fail('fatal_error', [`[ERROR] stand-in: ${String(error)}`]) };
  }
}

/** apps.connections.open, the one app-level method: a bot token is the wrong kind, as Slack says. */
function runAppLevel(deps: ApiDeps, token: string | undefined) {
  if (token === deps.botToken) return { status: 200, result: fail('not_allowed_token_type') };
  if (token !== deps.appToken) return { status: 200, result: fail('invalid_auth') };
  return { status: 200, result: connectionsOpen(deps.socketUrl) };
}

async function apiCall(deps: ApiDeps, req: IncomingMessage, url: URL): Promise<Reply> {
  const method = decodeURIComponent(url.pathname.slice(API_PATH.length));
  const parsed = parseArgs(await readText(req), req.headers['content-type'], url.searchParams);
  const { token: bodyToken, ...args } = parsed.ok ? parsed.args : {};
  const token =
    bearerToken(req.headers.authorization) ?? (typeof bodyToken === 'string' ? bodyToken : undefined);
  const outcome: { status: number; result: ApiResult; retryAfter?: number } = parsed.ok
    ? runMethod(deps, method, args, token)
    : { status: 200, result: fail(parsed.error) };
  deps.log.record({
    method,
    args,
    ...(token === undefined ? {} : { token }),
    at: Date.now(),
    status: outcome.status,
    response: outcome.result,
  });
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  if (outcome.retryAfter !== undefined) headers['Retry-After'] = String(outcome.retryAfter);
  return { status: outcome.status, headers, body: JSON.stringify(outcome.result) };
}

/** Bolt's respond() posts JSON; a `payload=` form is accepted too, as Slack does. */
function responseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  const parsed = parseArgs(text, contentType, new URLSearchParams());
  if (!parsed.ok) return { unparsed_body: text };
  const { payload } = parsed.args;
  if (typeof payload !== 'string') return parsed.args;
  try {
    const decoded: unknown = JSON.parse(payload);
    return isRecord(decoded) ? decoded : parsed.args;
  } catch {
    return parsed.args;
  }
}

/** What a post to a response URL gets: an answer, or (an injected failure) a dropped connection. */
type HookAnswer = Reply | 'reset';

async function responseUrlPost(deps: ApiDeps, req: IncomingMessage, url: URL): Promise<HookAnswer> {
  const body = responseBody(await readText(req), req.headers['content-type']);
  const args = { ...body, url: url.href };
  const failure = deps.failures.take('response_url', args);
  // An injected failure changes nothing; it is recorded (status 0 for a dropped connection).
  if (failure?.kind === 'reset' || failure?.kind === 'status') {
    const status = failure.kind === 'reset' ? 0 : failure.status;
    deps.log.record({ method: 'response_url', args, at: Date.now(), status, response: 'injected failure' });
    if (failure.kind === 'reset') return 'reset';
    return { status, headers: { 'Content-Type': 'text/html' }, body: 'injected failure' };
  }
  const reply = deps.responses.post(url.pathname.slice(RESPONSE_PATH.length), body);
  deps.log.record({
    method: 'response_url',
    args,
    at: Date.now(),
    status: reply.status,
    response: reply.text,
  });
  return { status: reply.status, headers: { 'Content-Type': 'text/html' }, body: reply.text };
}

export async function handleRequest(deps: ApiDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  if (url.pathname.startsWith(API_PATH) && (req.method === 'POST' || req.method === 'GET')) {
    return sendReply(res, await apiCall(deps, req, url));
  }
  if (url.pathname.startsWith(RESPONSE_PATH) && req.method === 'POST') {
    const answer = await responseUrlPost(deps, req, url);
    if (answer === 'reset') {
      res.socket?.destroy();
      return;
    }
    return sendReply(res, answer);
  }
  req.resume();
  sendReply(res, { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'not found' });
}
