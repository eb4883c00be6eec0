import { HTTPError, TimeoutError } from 'ky';
import { kindForStatus, VpsError } from './errors.js';

const MAX_API_MESSAGE = 300;

/**
 * Any failure of a request to VPS.org as the one typed error: an HTTP status becomes its kind, with
 * VPS.org's own words when it gave some (never a raw body), `redact` keeping the token out of both.
 */
export async function toVpsError(
  error: unknown,
  operation: string,
  redact: (text: string) => string,
): Promise<VpsError> {
  if (error instanceof VpsError) return error;
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const apiMessage = await readApiMessage(error.response);
    return new VpsError({
      kind: kindForStatus(status),
      status,
      operation,
      message: redact(describeStatus(status, operation, apiMessage)),
      detail: apiMessage && redact(apiMessage),
    });
  }
  if (error instanceof TimeoutError) {
    return new VpsError({
      kind: 'timeout',
      operation,
      message: `VPS.org did not answer in time (${operation}).`,
    });
  }
  return new VpsError({
    kind: 'unavailable',
    operation,
    message: `Could not reach VPS.org (${operation}: the connection failed).`,
  });
}

async function readApiMessage(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = JSON.parse(await response.text());
    if (typeof body !== 'object' || body === null) return undefined;
    for (const key of ['detail', 'message', 'error'] as const) {
      const value = (body as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, MAX_API_MESSAGE);
    }
  } catch {
    // Not JSON: the status alone describes it; a raw body is never shown.
  }
  return undefined;
}

function describeStatus(status: number, operation: string, apiMessage: string | undefined): string {
  const said = apiMessage ? `: ${apiMessage.replace(/\.+$/, '')}` : '';
  switch (kindForStatus(status)) {
    case 'unauthorized':
      return `VPS.org rejected the API token (${status}).`;
    case 'payment_required':
      return `VPS.org refused: the account balance is too low (402)${said}.`;
    case 'not_found':
      return `VPS.org has no such server (404, ${operation}).`;
    case 'rate_limited':
      return `VPS.org is rate limiting the bot (429, ${operation}).`;
    case 'timeout':
      return `VPS.org timed out (${status}, ${operation}).`;
    case 'unavailable':
      return `VPS.org is having trouble (${status}, ${operation}).`;
    default:
      return `VPS.org refused the request (${status})${said}.`;
  }
}
