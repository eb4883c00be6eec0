import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Reply } from './types.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export type Body =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid'; text: string }
  | { kind: 'too-large' };

export async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is drained, not kept, so that the 413 can still be answered.
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) return { kind: 'too-large' };
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return { kind: 'invalid', text };
  }
}

/** What the request log keeps of a body. */
export function recordedBody(body: Body): unknown {
  if (body.kind === 'json') return body.value;
  if (body.kind === 'invalid') return body.text;
  return undefined;
}

export function detail(status: number, text?: string): Reply {
  return { status, body: { detail: text ?? STATUS_CODES[status] ?? `HTTP ${status}` } };
}

export const NOT_FOUND: Reply = detail(404, 'Not found.');

export function methodNotAllowed(method: string, allowed: readonly string[]): Reply {
  return { ...detail(405, `Method "${method}" not allowed.`), headers: { Allow: allowed.join(', ') } };
}

export function invalidJson(body: Body): Reply | undefined {
  if (body.kind === 'invalid') return detail(400, 'Request body is not valid JSON.');
  if (body.kind === 'too-large') return detail(413, 'Request body is too large.');
  return undefined;
}

/**
 * A string body is sent as it is, so a fault can answer malformed JSON; 204 and 304 carry no body.
 * Returns false when the client has gone and nothing was sent.
 */
export function send(res: ServerResponse, reply: Reply): boolean {
  if (res.headersSent || res.destroyed) return false;
  const headers: Record<string, string> = { ...reply.headers };
  const bodyless = reply.status === 204 || reply.status === 304 || reply.body === undefined;
  let payload = '';
  if (!bodyless) {
    payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
  }
  if (reply.status !== 204 && reply.status !== 304)
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
  return true;
}

/** Resolves true after `ms`, or false at once when the signal aborts (the simulator is closing). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!signal.aborted);
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
