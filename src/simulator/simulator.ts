import { EventEmitter, setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PREFIX, handleApi, isAuthorized } from './api.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { FaultQueue } from './faults.js';
import { Hold, type HoldRule } from './holds.js';
import { detail, readBody, recordedBody, send, sleep } from './http.js';
import { seedServers } from './seed.js';
import { Fleet } from './state.js';
import type { FaultRule, RecordedRequest, Reply, SimServer, SimulatorOptions } from './types.js';

export type SimulatorEvents = { request: [RecordedRequest] };

interface Settings {
  token: string;
  settleMs: number;
  provisionMs: number;
  pageSize: number | undefined;
  latencyMs: number;
  seed: boolean;
  host: string;
}

function checkMs(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`Simulator: ${name} must be a number of milliseconds >= 0, got ${String(value)}`);
  }
  return value;
}

function checkPageSize(value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new Error(`Simulator: pageSize must be a positive integer or undefined, got ${String(value)}`);
  }
  return value;
}

function summary(r: RecordedRequest): string {
  const query = new URLSearchParams(r.query).toString();
  return `${r.method} ${r.path}${query ? `?${query}` : ''} -> ${r.status || 'no answer'}`;
}

/**
 * A VPS.org servers API over real HTTP, with its state, faults and request log under a test's control.
 * It is its own event emitter (and `events` points at it): 'request' fires after each API request is answered.
 */
export class Simulator extends EventEmitter<SimulatorEvents> {
  readonly requests: RecordedRequest[] = [];
  readonly events: EventEmitter<SimulatorEvents> = this;

  private readonly settings: Settings;
  private readonly fleet: Fleet;
  /** Shared with the fleet, so a test can slow transitions down (setSettleMs). */
  private readonly timing: { settleMs: number; provisionMs: number };
  private readonly faults = new FaultQueue();
  private readonly holdList: Hold[] = [];
  private nextHoldId = 1;
  private readonly answering = new Set<RecordedRequest>();
  private balanceOk = true;
  private latencyMs: number;
  private pageSize: number | undefined;
  private http: Server | undefined;
  private closing = new AbortController();

  constructor(options: SimulatorOptions = {}) {
    super();
    const token = options.token ?? 'simulator-token';
    if (typeof token !== 'string' || token === '')
      throw new Error('Simulator: token must be a non-empty string');
    this.settings = {
      token,
      settleMs: checkMs('settleMs', options.settleMs ?? 3000),
      provisionMs: checkMs('provisionMs', options.provisionMs ?? 10_000),
      pageSize: checkPageSize(options.pageSize),
      latencyMs: checkMs('latencyMs', options.latencyMs ?? 0),
      seed: options.seed ?? true,
      host: options.host ?? '127.0.0.1',
    };
    this.latencyMs = this.settings.latencyMs;
    this.pageSize = this.settings.pageSize;
    this.timing = { settleMs: this.settings.settleMs, provisionMs: this.settings.provisionMs };
    this.fleet = new Fleet(this.timing, options.clock);
    this.fleet.load(this.settings.seed ? seedServers() : []);
  }

  async listen(port = 0): Promise<void> {
    if (this.http) throw new Error('Simulator: already listening');
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.closing = new AbortController();
    // Every waiting request listens for the close; thousands at once are expected, not a leak.
    setMaxListeners(0, this.closing.signal);
    this.http = server;
  }

  async close(): Promise<void> {
    const server = this.http;
    if (!server) return;
    this.http = undefined;
    // Ends latency and hang waits, so that no timer keeps the process alive.
    this.closing.abort();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get origin(): string {
    const address = this.http?.address() as AddressInfo | null | undefined;
    if (!address || typeof address !== 'object')
      throw new Error('Simulator: not listening; call listen() first');
    const host = address.address.includes(':') ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  get baseUrl(): string {
    return `${this.origin}${API_PREFIX}`;
  }

  get token(): string {
    return this.settings.token;
  }

  get settleMs(): number {
    return this.timing.settleMs;
  }

  /** How long transitions begun from now on take to settle (until reset). */
  setSettleMs(ms: number): void {
    this.timing.settleMs = checkMs('settleMs', ms);
  }

  get provisionMs(): number {
    return this.settings.provisionMs;
  }

  /** Back to the seed and the constructed options; faults and the request log are cleared, holds released. */
  reset(): void {
    this.timing.settleMs = this.settings.settleMs;
    this.fleet.load(this.settings.seed ? seedServers() : []);
    this.balanceOk = true;
    this.latencyMs = this.settings.latencyMs;
    this.pageSize = this.settings.pageSize;
    this.faults.clear();
    for (const hold of this.holdList.splice(0)) hold.release();
    this.clearRequests();
  }

  servers(): SimServer[] {
    return this.fleet.list();
  }

  server(id: number): SimServer | undefined {
    return this.fleet.get(id);
  }

  addServer(fields: Partial<SimServer> & { name: string }): SimServer {
    if (typeof fields?.name !== 'string') throw new Error('addServer: name must be a string');
    return this.fleet.add(fields);
  }

  /** Names are `bulk-0001`, ... (or `<fields.name>-0001`); ids follow on from the highest, or from fields.id. */
  addServers(count: number, fields: Partial<SimServer> = {}): SimServer[] {
    if (!Number.isSafeInteger(count) || count < 0)
      throw new Error('addServers: count must be an integer >= 0');
    const prefix = fields.name ?? 'bulk';
    const added: SimServer[] = [];
    for (let i = 0; i < count; i += 1) {
      const name = `${prefix}-${String(i + 1).padStart(4, '0')}`;
      const id = fields.id === undefined ? undefined : fields.id + i;
      added.push(this.fleet.add({ ...fields, id, name }));
    }
    return added;
  }

  setStatus(id: number, status: string, settle?: { to: string; afterMs: number }): void {
    this.fleet.setStatus(id, status, settle);
  }

  removeServer(id: number): void {
    if (!this.fleet.remove(id)) throw new Error(`removeServer: no server with id ${id}`);
  }

  setBalance(ok: boolean): void {
    if (typeof ok !== 'boolean') throw new Error('setBalance: ok must be true or false');
    this.balanceOk = ok;
  }

  setLatency(ms: number): void {
    this.latencyMs = checkMs('latency', ms);
  }

  setPageSize(size: number | undefined): void {
    this.pageSize = checkPageSize(size);
  }

  fault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  /** Forgets every fault still queued, leaving servers and settings as they are. */
  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Answers to matching API requests wait until `release()`: made when the request arrives, delivered
   * only then. The first hold that takes a request holds it.
   */
  hold(rule: HoldRule): Hold {
    const hold = new Hold(this.nextHoldId++, rule);
    this.holdList.push(hold);
    return hold;
  }

  holds(): Hold[] {
    return [...this.holdList];
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    return new Promise((resolve, reject) => {
      const test = (r: RecordedRequest): boolean => {
        try {
          return match(r);
        } catch (error) {
          cleanup();
          reject(error);
          return false;
        }
      };
      const onRequest = (r: RecordedRequest): void => {
        if (test(r)) {
          cleanup();
          resolve(r);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.requests.slice(-10).map(summary);
        const seen = recent.length ? ` Last requests: ${recent.join('; ')}.` : ' No requests were recorded.';
        reject(new Error(`waitForRequest: no matching request within ${timeoutMs} ms.${seen}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('request', onRequest);
      };
      this.on('request', onRequest);
      const earlier = this.requests.find((r) => !this.answering.has(r) && test(r));
      if (earlier) {
        cleanup();
        resolve(earlier);
      }
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://simulator.invalid');
      if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        const body = await readBody(req);
        send(res, handleControl(this, (req.method ?? 'GET').toUpperCase(), url, body));
        return;
      }
      await this.serveApi(req, res, url);
    } catch (error) {
      // A client that went away mid-body is not the simulator's fault, and there is no one to answer.
      if (req.destroyed || res.destroyed) return;
      console.error('simulator: unexpected error', error);
      send(res, detail(500, 'Internal simulator error.'));
    }
  }

  private async serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      authorized: isAuthorized(req.headers.authorization, this.settings.token),
      status: 0,
      at: Date.now(),
    };
    const received = performance.now();
    this.requests.push(record);
    this.answering.add(record);
    // Waits end when the client goes away or the simulator closes, so a hang holds no timer for nobody.
    const gone = new AbortController();
    const stop = (): void => gone.abort();
    const closing = this.closing.signal;
    closing.addEventListener('abort', stop, { once: true });
    res.once('close', stop);
    try {
      const body = await readBody(req);
      record.body = recordedBody(body);
      // Faults come before auth, so that a test can make any request fail however it is sent.
      const fault = this.faults.take(method, url.pathname);
      if (!(await sleep(this.latencyMs, gone.signal))) return;
      if (fault?.hangMs !== undefined && !(await sleep(fault.hangMs, gone.signal))) return;
      if (fault?.reset) {
        req.socket.resetAndDestroy();
        return;
      }
      let reply: Reply;
      if (fault?.status !== undefined) {
        reply = { ...detail(fault.status), headers: fault.headers };
        if (fault.body !== undefined) reply.body = fault.body;
      } else {
        reply = handleApi(
          {
            fleet: this.fleet,
            token: this.settings.token,
            balanceOk: this.balanceOk,
            pageSize: this.pageSize,
            origin: req.headers.host ? `http://${req.headers.host}` : this.origin,
          },
          { method, url, authorization: req.headers.authorization, body },
        );
        if (fault?.headers) reply = { ...reply, headers: { ...reply.headers, ...fault.headers } };
      }
      const hold = this.holdList.find((candidate) => candidate.take(method, url.pathname));
      if (hold && !(await hold.until(gone.signal))) return;
      if (send(res, reply)) {
        record.status = reply.status;
        record.answeredAfterMs = performance.now() - received;
      }
    } finally {
      closing.removeEventListener('abort', stop);
      this.answering.delete(record);
      this.emit('request', record);
    }
  }
}
