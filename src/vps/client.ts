import { setTimeout as sleep } from 'node:timers/promises';
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
import { pauseAfter429, retryAfter503 } from './rate-limit.js';
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
import { SharedLookups } from './shared-lookups.js';

/**
 * A storm's people ask again as soon as their answers come, within a few tens of milliseconds of each
 * other: the request that follows an answer waits this long for them, so they share it instead of
 * each missing it by a hair and waiting a whole round trip more.
 */
const GATHER_MS = 100;

export interface VpsClientOptions {
  /** e.g. `https://admin.vps.org/api/v1`, without the `/servers/` part. */
  baseUrl: string;
  token: string;
  /** How long one attempt may take; a request waiting for a free slot is bound by it too. */
  timeoutMs: number;
  /** Requests to VPS.org in flight at once; more wait their turn. Default 32. */
  maxInFlight?: number;
  /** Lookups waiting for their turn; more are refused at once, unsent. Default 8 × maxInFlight. */
  maxWaiting?: number;
  /** Monotonic milliseconds, for the freshness rule of shared lookups. Default `performance.now()`. */
  now?: () => number;
  /**
   * How long after an answer the request that waited behind it goes (only when someone asked while
   * the first was in flight). Default 100 ms.
   */
  gatherMs?: number;
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

export interface LookupOptions {
  /**
   * When the question arrived, on the client's clock (`now`): only a request sent at or after it may
   * answer it. Default: the moment of the call.
   */
  askedAt?: number | undefined;
}

/** Idempotent methods only: a POST (create, start, stop, reboot) or a PATCH is never sent twice. */
const RETRIED_METHODS: RetryOptions['methods'] = ['get', 'put', 'delete'];
const RETRIED_STATUSES = [408, 429, 500, 502, 503, 504];
/**
 * No retry is timed by ky's own reading of Retry-After (a garbage value would make it wait the whole
 * time limit, a negative one not at all): ky waits its backoff; a 429's retry then waits in
 * `beforeRequest` for the process-wide pause, a 503's in `beforeRetry` for the rest of its own
 * Retry-After, both read strictly (rate-limit.ts).
 */
const RETRY_AFTER_STATUSES: number[] = [];
/** A `next` chain longer than this is a loop or a broken API, not a fleet. */
const MAX_PAGES = 1000;

/** ky's own backoff, stated so that a 429 without Retry-After pauses the process as long as ky waits. */
const BACKOFF_MS = (attempt: number) => 300 * 2 ** (attempt - 1);

/**
 * The VPS.org Servers API: one method per endpoint, every answer checked, every failure a VpsError.
 *
 * Lookups (`get`, `list`) asking the same question share one request, and one answer: callers must
 * not modify what they get. Changes are never shared, and go before waiting lookups. A 429 pauses
 * every request of the process (see RequestGate and SharedLookups).
 */
export class VpsClient {
  readonly #http: KyInstance;
  readonly #token: string;
  readonly #base: URL;
  readonly #gate: RequestGate;
  readonly #lookups: SharedLookups;
  readonly #now: () => number;

  constructor(options: VpsClientOptions) {
    this.#token = options.token;
    this.#now = options.now ?? (() => performance.now());
    const maxInFlight = options.maxInFlight ?? 32;
    this.#gate = new RequestGate({
      maxInFlight,
      maxWaiting: options.maxWaiting ?? 8 * maxInFlight,
      timeoutMs: options.timeoutMs,
      now: this.#now,
    });
    this.#lookups = new SharedLookups(this.#gate, options.gatherMs ?? GATHER_MS);
    this.#base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    const backoff = options.retry?.delayMs ?? BACKOFF_MS;
    const maxRetryAfter = options.retry?.maxRetryAfterMs ?? options.timeoutMs;
    this.#http = ky.create({
      prefixUrl: this.#base.href,
      timeout: options.timeoutMs,
      headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
      retry: {
        limit: options.retry?.limit ?? 2,
        methods: RETRIED_METHODS,
        statusCodes: RETRIED_STATUSES,
        afterStatusCodes: RETRY_AFTER_STATUSES,
        maxRetryAfter,
        delay: backoff,
        // VPS.org asks the process to wait longer than this request may: say so now, not after the
        // wait, whatever failed (a 503 retried behind another request's 429 too). An attempt refused
        // by `beforeRequest` is not retried either.
        shouldRetry: ({ error }) =>
          error instanceof VpsError ||
          this.#gate.pausedUntil - this.#now() > maxRetryAfter ||
          (retryAfter503(error) ?? 0) > maxRetryAfter
            ? false
            : undefined,
      },
      hooks: {
        // Every attempt, retries and next pages included, waits while VPS.org asks the process to,
        // but no longer than a request may: past that it is refused, unsent, as rate limited.
        beforeRequest: [
          (request, _options, { retryCount }) =>
            this.#gate.whenAllowed(maxRetryAfter, () => this.#pausedTooLong(request, retryCount)),
        ],
        // A 503 with a Retry-After: its retry waits what is left of it after the backoff.
        beforeRetry: [
          async ({ error, retryCount }) => {
            const left = (retryAfter503(error) ?? 0) - backoff(retryCount);
            if (left > 0) await sleep(left);
          },
        ],
        beforeError: [
          (error, { retryCount }) => {
            if (error.response.status === 429) {
              this.#gate.pause(pauseAfter429(error.response, backoff(retryCount + 1)));
            }
            return error;
          },
        ],
      },
    });
  }

  /** GET /servers/, following `next` pages, filtered by status and location. */
  async list(filter: ListFilter = {}, options: LookupOptions = {}): Promise<Server[]> {
    const searchParams: Record<string, string> = {};
    if (filter.status) searchParams.status = filter.status;
    if (filter.location) searchParams.location = filter.location;
    const operation = 'GET /servers/';
    const query = new URLSearchParams(Object.entries(searchParams).sort()).toString();
    return this.#lookups.ask(
      {
        key: query ? `${operation}?${query}` : operation,
        operation,
        serverId: undefined,
        askedAt: options.askedAt ?? this.#now(),
      },
      () => this.#listPages(operation, searchParams),
    );
  }

  /** Every page of one list, within one turn. */
  async #listPages(operation: string, searchParams: Record<string, string>): Promise<Server[]> {
    const servers: Server[] = [];
    let page = parseJson(
      operation,
      serverListPageSchema,
      await this.#send(operation, () => this.#http.get('servers/', { searchParams })),
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
      page = parseJson(
        operation,
        serverListPageSchema,
        await this.#send(operation, () => this.#http.get(next, { prefixUrl: '' })),
      );
    }
  }

  /** POST /servers/ */
  async create(input: CreateServerInput): Promise<CreatedServer> {
    const body = checkInput(createServerInputSchema, input);
    const operation = 'POST /servers/';
    const answer = await this.#change(operation, undefined, () =>
      this.#http.post('servers/', { json: body }),
    );
    return parseJson(operation, createdServerSchema, answer);
  }

  /** GET /servers/{id}/ */
  async get(id: number, options: LookupOptions = {}): Promise<Server> {
    const path = serverPath(checkServerId(id));
    const operation = `GET /${path}`;
    return this.#lookups.ask(
      { key: operation, operation, serverId: id, askedAt: options.askedAt ?? this.#now() },
      async () => parseJson(operation, serverSchema, await this.#send(operation, () => this.#http.get(path))),
    );
  }

  /** PUT /servers/{id}/: every field. Answers the server when VPS.org sends it back. */
  async update(id: number, input: UpdateServerInput): Promise<Server | undefined> {
    const path = serverPath(checkServerId(id));
    const body = checkInput(updateServerInputSchema, input);
    return optionalServer(
      `PUT /${path}`,
      await this.#change(`PUT /${path}`, id, () => this.#http.put(path, { json: body })),
    );
  }

  /** PATCH /servers/{id}/: only the given fields. Answers the server when VPS.org sends it back. */
  async patch(id: number, input: PatchServerInput): Promise<Server | undefined> {
    const path = serverPath(checkServerId(id));
    const body = checkInput(patchServerInputSchema, input);
    return optionalServer(
      `PATCH /${path}`,
      await this.#change(`PATCH /${path}`, id, () => this.#http.patch(path, { json: body })),
    );
  }

  /** DELETE /servers/{id}/ */
  async delete(id: number): Promise<void> {
    const path = serverPath(checkServerId(id));
    let retried = false;
    const retry = {
      beforeRetry: [
        () => {
          retried = true;
        },
      ],
    };
    try {
      await this.#change(`DELETE /${path}`, id, () => this.#http.delete(path, { hooks: retry }));
    } catch (error) {
      // A try that failed with a 5xx may still have been applied: its retry then finds the server gone,
      // which is what was asked.
      if (retried && error instanceof VpsError && error.kind === 'not_found') return;
      throw error;
    }
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
    const operation = `POST /${path}`;
    return parseJson(
      operation,
      powerActionResultSchema,
      await this.#change(operation, id, () => this.#http.post(path)),
    );
  }

  /**
   * A change to a server (undefined: a new one): in its turn, before waiting lookups, never shared.
   * Once answered, lookups sent before its answer no longer answer anyone.
   */
  #change(
    operation: string,
    serverId: number | undefined,
    request: () => Promise<Response>,
  ): Promise<Answer> {
    return this.#gate.run(
      operation,
      async () => {
        try {
          return await this.#send(operation, request);
        } finally {
          this.#lookups.changed(serverId);
        }
      },
      'change',
    );
  }

  /** One request and its whole body; every failure a VpsError. */
  async #send(operation: string, request: () => Promise<Response>): Promise<Answer> {
    try {
      const response = await request();
      return { status: response.status, text: await response.text() };
    } catch (error) {
      throw await toVpsError(error, operation, (text) => this.#redact(text));
    }
  }

  /** An attempt VPS.org's pause would hold longer than a request may wait: it is not sent. */
  #pausedTooLong(request: Request, retryCount: number): VpsError {
    const path = new URL(request.url).pathname.slice(this.#base.pathname.length);
    const operation = `${request.method} /${path}`;
    return new VpsError({
      kind: 'rate_limited',
      operation,
      // A retry's earlier attempt did go out.
      sent: retryCount > 0,
      message: `VPS.org is rate limiting the bot; this request was not sent (${operation}).`,
    });
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

function parseJson<T>(operation: string, schema: z.ZodType<T>, answer: Answer): T {
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
function optionalServer(operation: string, answer: Answer): Server | undefined {
  let body: unknown;
  try {
    body = parseBody(answer, operation);
  } catch {
    return undefined;
  }
  const parsed = serverSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
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
