import { randomBytes } from 'node:crypto';
import { isRecord } from '../args.js';

/** What Slack wraps in a Socket Mode envelope. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** One delivery over Socket Mode, exactly as Slack writes it on the WebSocket. */
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

/** The client's acknowledgement of an envelope: `{envelope_id, payload?}`. */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
  /** Date.now() when it arrived. */
  at: number;
}

export interface EnvelopeOptions {
  /** Default: true for slash commands, view submissions and block suggestions, as Slack sets it. */
  acceptsResponsePayload?: boolean;
}

/** Slack's envelope ids are UUIDs. */
export function newEnvelopeId(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function acceptsByDefault(type: EnvelopeType, payload: Record<string, unknown>): boolean {
  if (type === 'slash_commands') return true;
  if (type === 'events_api') return false;
  return payload.type === 'view_submission' || payload.type === 'block_suggestion';
}

/** A first delivery (retry_attempt 0). */
export function envelope(
  type: EnvelopeType,
  payload: Record<string, unknown>,
  options: EnvelopeOptions = {},
): Envelope {
  return {
    envelope_id: newEnvelopeId(),
    type,
    payload,
    accepts_response_payload: options.acceptsResponsePayload ?? acceptsByDefault(type, payload),
    retry_attempt: 0,
    retry_reason: '',
  };
}

/** Slack's retry of an envelope it saw no ack for: the same envelope, the attempt counted. */
export function retried(previous: Envelope, reason = 'timeout'): Envelope {
  return { ...previous, retry_attempt: previous.retry_attempt + 1, retry_reason: reason };
}

/** Over Socket Mode a slash command's fields arrive as a JSON object, not a form. */
export function commandPayload(formBody: string): Record<string, unknown> {
  return Object.fromEntries(new URLSearchParams(formBody));
}

/** A client message that acknowledges an envelope, or undefined for anything else. */
export function parseAck(text: string, at: number = Date.now()): SocketAck | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.envelope_id !== 'string') return undefined;
  return {
    envelope_id: parsed.envelope_id,
    ...('payload' in parsed ? { payload: parsed.payload } : {}),
    at,
  };
}
