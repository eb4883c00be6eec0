import ky, { HTTPError, type KyInstance, type RetryOptions, TimeoutError } from 'ky';
import pLimit, { type LimitFunction } from 'p-limit';
import type { z } from 'zod';
import { kindForStatus, VpsError } from './errors.js';
import {
  type CreateServerInput,
  checkInput,
  checkServerId,
  createServerInputSchema,
  type PatchServerInput,
  patchServerInputSchema,
  type UpdateServerInput,
  updateServerInputSchema,
} from './inputs.js';
import {
  type CreatedServer,
  createdServerSchema,
  type PowerAction,
  type PowerActionResult,
  powerActionResultSchema,
  type Server,
  serverListPageSchema,
  serverSchema,
} from './schemas.js';

export interface VpsClientOptions {
  /** e.g. `https://admin.vps.org/api/v1`, without the `/servers/` part. */
  baseUrl: string;
  token: string;
  /** How long one attempt may take; a request waiting for a free slot is bound by it too. */
  timeoutMs: number;
  /** Requests to VPS.org in flight at once; more wait their turn. Default 32. */
  maxInFlight?: number;
  /** Requests waiting for their turn; more are refused at once, unsent. Default 8 × maxInFlight. */
  maxWaiting?: number;
  retry?: {
    /** Retries after the first attempt (GET, PUT, DELETE only). Default 2. */
    limit?: number;
    /** Backoff before retry n (1-based), when VPS.org gives no Retry-After. Default 300 ms doubling. */
    delayMs?: (attempt: number) => number;
    /** The longest Retry-After the client will wait. Default: the timeout. */
    maxRetryAfterMs?: number;
  };
}

export interface ListFilter {
  status?: string | undefined;
  location?: string | undefined;
}

/** Idempotent methods only: a POST (create, start, stop, reboot) is never sent twice. */
const RETRIED_METHODS: RetryOptions['methods'] = ['get', 'put', 'delete'];
const RETRIED_STATUSES = [408, 429, 500, 502, 503, 504];
const RETRY_AFTER_STATUSES = [429, 503];
/** A `next` chain longer than this is a loop or a broken API, not a fleet. */
const MAX_PAGES = 1000;
const MAX_API_MESSAGE = 300;

/** The VPS.org Servers API: one method per endpoint, every answer checked, every failure a VpsError. */
export class VpsClient {
  readonly #http: KyInstance;
  readonly #token: string;
  readonly #base: URL;
  readonly #gate: LimitFunction;
  readonly #maxWaiting: number;
  readonly #timeoutMs: number;

  constructor(options: VpsClientOptions) {
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs;
    this.#gate = pLimit(options.maxInFlight ?? 32);
    this.#maxWaiting = options.maxWaiting ?? 8 * this.#gate.concurrency;
    this.#base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.#http = ky.create({
      prefixUrl: this.#base.href,
      timeout: options.timeoutMs,
      headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
      retry: {
        limit: options.retry?.limit ?? 2,
        methods: RETRIED_METHODS,
        statusCodes: RETRIED_STATUSES,
        afterStatusCodes: RETRY_AFTER_STATUSES,
        maxRetryAfter: options.retry?.maxRetryAfterMs ?? options.timeoutMs,
        ...(options.retry?.delayMs ? { delay: options.retry.delayMs } : {}),
      },
    });
  }

  /** GET /servers/, following `next` pages, filtered by status and location. */
  async list(filter: ListFilter = {}): Promise<Server[]> {
    const searchParams: Record<string, string> = {};
    if (filter.status) searchParams.status = filter.status;
    if (filter.location) searchParams.location = filter.location;
    const operation = 'GET /servers/';
    const servers: Server[] = [];
    let page = await this.#json(operation, serverListPageSchema, () =>
      this.#http.get('servers/', { searchParams }),
    );
    const seen = new Set<string>();
    for (let pages = 1; ; pages++) {
      servers.push(...page.results);
      if (!page.next) return servers;
      const next = this.#checkNextUrl(page.next, operation);
      if (seen.has(next) || pages >= MAX_PAGES) {
        throw new VpsError({
          kind: 'bad_response',
          operation,
          message: 'VPS.org returned a server list whose pages never end.',
        });
      }
      seen.add(next);
      page = await this.#json(operation, serverListPageSchema, () => this.#http.get(next, { prefixUrl: '' }));
    }
  }

  /** POST /servers/ */
  async create(input: CreateServerInput): Promise<CreatedServer> {
    const body = checkInput(createServerInputSchema, input);
    return this.#json('POST /servers/', createdServerSchema, () =>
      this.#http.post('servers/', { json: body }),
    );
  }

  /** GET /servers/{id}/ */
  async get(id: number): Promise<Server> {
    const path = serverPath(checkServerId(id));
    return this.#json(`GET /${path}`, serverSchema, () => this.#http.get(path));
  }

  /** PUT /servers/{id}/: every field. Answers the server when VPS.org sends it back. */
  async update(id: number, input: UpdateServerInput): Promise<Server | undefined> {
    const path = serverPath(checkServerId(id));
    const body = checkInput(updateServerInputSchema, input);
    return this.#optionalServer(`PUT /${path}`, () => this.#http.put(path, { json: body }));
  }

  /** PATCH /servers/{id}/: only the given fields. Answers the server when VPS.org sends it back. */
  async patch(id: number, input: PatchServerInput): Promise<Server | undefined> {
    const path = serverPath(checkServerId(id));
    const body = checkInput(patchServerInputSchema, input);
    return this.#optionalServer(`PATCH /${path}`, () => this.#http.patch(path, { json: body }));
  }

  /** DELETE /servers/{id}/ */
  async delete(id: number): Promise<void> {
    const path = serverPath(checkServerId(id));
    await this.#exchange(`DELETE /${path}`, () => this.#http.delete(path));
  }

  /** POST /servers/{id}/start/ */
  start(id: number): Promise<PowerActionResult> {
    return this.power(id, 'start');
  }

  /** POST /servers/{id}/stop/ */
  stop(id: number): Promise<PowerActionResult> {
    return this.power(id, 'stop');
  }

  /** POST /servers/{id}/reboot/ */
  reboot(id: number): Promise<PowerActionResult> {
    return this.power(id, 'reboot');
  }

  async power(id: number, action: PowerAction): Promise<PowerActionResult> {
    const path = `${serverPath(checkServerId(id))}${action}/`;
    return this.#json(`POST /${path}`, powerActionResultSchema, () => this.#http.post(path));
  }

  /** One request and its whole body, within the gate of requests in flight; every failure a VpsError. */
  #exchange(operation: string, request: () => Promise<Response>): Promise<Answer> {
    return this.#gated(operation, async () => {
      try {
        const response = await request();
        return { status: response.status, text: await response.text() };
      } catch (error) {
        throw await this.#toVpsError(error, operation);
      }
    });
  }

  /**
   * Runs `task` when fewer than `maxInFlight` requests are out, so that a slow or hung VPS.org is not
   * flooded and the bot's memory stays bounded. Waiting counts against the request's time limit: when
   * it runs out, the request is never sent.
   */
  #gated<T>(operation: string, task: () => Promise<T>): Promise<T> {
    if (this.#gate.activeCount < this.#gate.concurrency && this.#gate.pendingCount === 0) {
      return this.#gate(task);
    }
    const unsent = () =>
      new VpsError({
        kind: 'timeout',
        operation,
        sent: false,
        message: `VPS.org is slow to answer the bot's other requests; this one was not sent (${operation}).`,
      });
    // A full queue means VPS.org is not keeping up: answering at once beats a long wait for the same answer.
    if (this.#gate.pendingCount >= this.#maxWaiting) return Promise.reject(unsent());
    let expired = false;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expired = true;
        reject(unsent());
      }, this.#timeoutMs);
    });
    const run = this.#gate(() => {
      if (expired) return Promise.resolve(undefined as never);
      clearTimeout(timer);
      return task();
    });
    return Promise.race([run, waited]).finally(() => clearTimeout(timer));
  }

  async #json<T>(operation: string, schema: z.ZodType<T>, request: () => Promise<Response>): Promise<T> {
    const answer = await this.#exchange(operation, request);
    const parsed = schema.safeParse(parseBody(answer, operation));
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues[0]?.path.join('.') || 'body';
    throw new VpsError({
      kind: 'bad_response',
      status: answer.status,
      operation,
      message: `VPS.org sent an answer the bot does not understand (${operation}: unexpected ${where}).`,
    });
  }

  /** PUT and PATCH answers are undocumented: a server object, or nothing the card can use. */
  async #optionalServer(operation: string, request: () => Promise<Response>): Promise<Server | undefined> {
    const answer = await this.#exchange(operation, request);
    let body: unknown;
    try {
      body = parseBody(answer, operation);
    } catch {
      return undefined;
    }
    const parsed = serverSchema.safeParse(body);
    return parsed.success ? parsed.data : undefined;
  }

  #checkNextUrl(next: string, operation: string): string {
    let url: URL;
    try {
      url = new URL(next, this.#base);
    } catch {
      url = new URL('invalid:');
    }
    // The bearer token goes with every request: never follow a page link off the API.
    if (url.origin !== this.#base.origin || !url.pathname.startsWith(this.#base.pathname)) {
      throw new VpsError({
        kind: 'bad_response',
        operation,
        message: 'VPS.org sent a next-page link outside its API; the bot did not follow it.',
      });
    }
    return url.href;
  }

  async #toVpsError(error: unknown, operation: string): Promise<VpsError> {
    if (error instanceof VpsError) return error;
    if (error instanceof HTTPError) {
      const status = error.response.status;
      const apiMessage = await readApiMessage(error.response);
      return new VpsError({
        kind: kindForStatus(status),
        status,
        operation,
        message: this.#redact(describeStatus(status, operation, apiMessage)),
        detail: apiMessage && this.#redact(apiMessage),
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

  #redact(text: string): string {
    return this.#token === '' ? text : text.split(this.#token).join('[redacted]');
  }
}

interface Answer {
  status: number;
  text: string;
}

function parseBody(answer: Answer, operation: string): unknown {
  if (answer.text.trim() === '') return undefined;
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new VpsError({
      kind: 'bad_response',
      status: answer.status,
      operation,
      message: `VPS.org sent an answer that is not JSON (${operation}).`,
    });
  }
}

function serverPath(id: number): string {
  return `servers/${id}/`;
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
