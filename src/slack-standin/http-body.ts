import type { IncomingMessage } from 'node:http';
import { isRecord } from './args.js';

// The WebClient sends these as JSON strings inside form bodies; recording them parsed keeps tests readable.
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'] as const;

export type ParsedArgs = { ok: true; args: Record<string, unknown> } | { ok: false; error: string };

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function decodeJsonFields(args: Record<string, unknown>): Record<string, unknown> {
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      args[field] = JSON.parse(value);
    } catch {
      // Left as sent: the method handler answers as Slack would for a malformed field.
    }
  }
  return args;
}

/** Query-string arguments (GET) and body arguments, merged the way Slack accepts either. */
export function parseArgs(text: string, contentType: string | undefined, query: URLSearchParams): ParsedArgs {
  const args: Record<string, unknown> = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (text.trim() === '') return { ok: true, args: decodeJsonFields(args) };
  if (type === 'application/json') {
    try {
      const body: unknown = JSON.parse(text);
      if (!isRecord(body)) return { ok: false, error: 'invalid_json' };
      return { ok: true, args: decodeJsonFields({ ...args, ...body }) };
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    for (const [key, value] of new URLSearchParams(text)) args[key] = value;
    return { ok: true, args: decodeJsonFields(args) };
  }
  return { ok: false, error: 'invalid_post_type' };
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
