export type VpsErrorKind =
  | 'unauthorized'
  | 'payment_required'
  | 'not_found'
  | 'invalid'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'bad_response';

export interface VpsErrorDetails {
  kind: VpsErrorKind;
  /** A sentence safe to log and to show: it never holds the token or a raw body. */
  message: string;
  /** HTTP status of the answer, when there was one. */
  status?: number | undefined;
  /** `POST /servers/12345/stop/`: which call failed. */
  operation?: string | undefined;
  /** For `invalid` input refused before any request: the field at fault. */
  field?: string | undefined;
  /** What VPS.org itself said (`detail`, `message` or `error` of its answer), token redacted. */
  detail?: string | undefined;
  /** False when the request never left the bot (it waited too long for its turn). Default true. */
  sent?: boolean | undefined;
}

/** The one error the VPS.org client throws: callers branch on `kind`. */
export class VpsError extends Error {
  readonly kind: VpsErrorKind;
  readonly status: number | undefined;
  readonly operation: string | undefined;
  readonly field: string | undefined;
  readonly detail: string | undefined;
  readonly sent: boolean;

  constructor(details: VpsErrorDetails) {
    super(details.message);
    this.name = 'VpsError';
    this.kind = details.kind;
    this.status = details.status;
    this.operation = details.operation;
    this.field = details.field;
    this.detail = details.detail;
    this.sent = details.sent ?? true;
  }

  /**
   * A change (POST, PUT, PATCH, DELETE) that timed out, lost its connection or died behind a gateway
   * may have reached VPS.org: the server may have changed even though no answer came back.
   */
  get outcomeUnknown(): boolean {
    if (!this.sent || this.operation === undefined || this.operation.startsWith('GET ')) return false;
    if (this.kind === 'timeout') return true;
    // A retry held back by VPS.org's pause: the attempt before it went out and failed in a way that
    // is retried (a 5xx), so it may have been applied.
    if (this.kind === 'rate_limited' && this.status === undefined) return true;
    return (
      this.kind === 'unavailable' && (this.status === undefined || this.status === 502 || this.status === 504)
    );
  }
}

export function kindForStatus(status: number): VpsErrorKind {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 402) return 'payment_required';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid';
  return 'bad_response';
}
