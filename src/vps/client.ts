import ky, { type KyInstance, type RetryOptions } from 'ky';
import type { z } from 'zod';
import { toVpsError } from './error-mapping.js';
import { VpsError } from './errors.js';
import { RequestGate } from './gate.js';
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

/** The VPS.org Servers API: one method per endpoint, every answer checked, every failure a VpsError. */
export class VpsClient {
  readonly #http: KyInstance;
  readonly #token: string;
  readonly #base: URL;
  readonly #gate: RequestGate;

  constructor(options: VpsClientOptions) {
    this.#token = options.token;
    const maxInFlight = options.maxInFlight ?? 32;
    this.#gate = new RequestGate({
      maxInFlight,
      maxWaiting: options.maxWaiting ?? 8 * maxInFlight,
      timeoutMs: options.timeoutMs,
    });
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
    return this.#gate.run(operation, async () => {
      try {
        const response = await request();
        return { status: response.status, text: await response.text() };
      } catch (error) {
        throw await toVpsError(error, operation, (text) => this.#redact(text));
      }
    });
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
