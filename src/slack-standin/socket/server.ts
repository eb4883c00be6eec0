import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { HOST } from '../http-host.js';
import { APP_ID } from '../workspace.js';
import { AckBook } from './acks.js';
import { type Envelope, parseAck, type SocketAck } from './envelopes.js';
import { Tickets } from './tickets.js';

/** Where the URLs from apps.connections.open point: `ws://127.0.0.1:PORT/link/?ticket=…`. */
export const LINK_PATH = '/link/';
const DEBUG_HOST = 'applink-standin';

export interface SocketServerOptions {
  /** Slack pings each connection; the client drops one that stops (30 s). Default 10 000 ms; 0: never. */
  pingIntervalMs?: number;
}

type Events = { connection: [number]; ack: [SocketAck]; close: [number] };

/**
 * Slack's Socket Mode end on 127.0.0.1: WebSocket connections opened with a ticket from
 * apps.connections.open, a hello on each, envelopes out and acks in, pings, disconnects and drops.
 * Emits 'connection' (with the count so far) after each hello, 'ack' for each ack, 'close' as one ends.
 */
export class SocketServer extends EventEmitter<Events> {
  readonly book = new AckBook();
  private readonly tickets = new Tickets();
  private readonly sockets: WebSocket[] = [];
  private readonly pingIntervalMs: number;
  private server: WebSocketServer | undefined;
  private boundPort: number | undefined;
  private helloCount = 0;
  private closeCount = 0;

  constructor(options: SocketServerOptions = {}) {
    super();
    this.pingIntervalMs = options.pingIntervalMs ?? 10_000;
  }

  async listen(port = 0): Promise<void> {
    if (this.server !== undefined) throw new Error('SlackStandin socket: already listening');
    const server = new WebSocketServer({
      host: HOST,
      port,
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) =>
        done(this.admits(info.req), 401),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('connection', (socket) => this.accept(socket));
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.book.abort('SlackStandin socket: closed while an ack was awaited.');
    for (const socket of [...this.sockets]) socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get port(): number {
    if (this.boundPort === undefined) throw new Error('SlackStandin socket: call listen() first');
    return this.boundPort;
  }

  /** A new one-use URL, as apps.connections.open answers. */
  issueUrl(): string {
    return `ws://${HOST}:${this.port}${LINK_PATH}?ticket=${this.tickets.issue()}`;
  }

  /** Connections that got their hello, since the start. */
  get connections(): number {
    return this.helloCount;
  }

  /** Connections that ended, since the start. */
  get closed(): number {
    return this.closeCount;
  }

  /** Connections open now. */
  get open(): number {
    return this.openSockets().length;
  }

  /** Resolves once `count` connections have got their hello since the start; rejects after timeoutMs. */
  waitForConnections(count: number, timeoutMs = 15_000): Promise<void> {
    return this.waitUntil('connection', () => this.helloCount >= count, timeoutMs, `${count} connections`);
  }

  /** Resolves once `count` connections have ended since the start; rejects after timeoutMs. */
  waitForClosed(count: number, timeoutMs = 15_000): Promise<void> {
    return this.waitUntil('close', () => this.closeCount >= count, timeoutMs, `${count} closed connections`);
  }

  /** Writes the envelope on the newest open connection; resolves with its ack. */
  async send(envelope: Envelope, ackTimeoutMs: number): Promise<SocketAck> {
    const socket = this.openSockets().at(-1);
    if (socket === undefined) throw new Error('SlackStandin socket: no open connection to deliver to');
    const acked = this.book.expect(envelope.envelope_id, ackTimeoutMs);
    socket.send(JSON.stringify(envelope));
    return await acked;
  }

  /** Asks every open connection to go, as Slack does before it recycles one; the client reconnects. */
  disconnect(reason = 'refresh_requested'): void {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: DEBUG_HOST } });
    for (const socket of this.openSockets()) socket.send(message);
  }

  /** Cuts every open connection without a close frame, as a network failure would. */
  drop(): void {
    for (const socket of this.openSockets()) socket.terminate();
  }

  private admits(req: IncomingMessage): boolean {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    return url.pathname === LINK_PATH && this.tickets.use(url.searchParams.get('ticket'));
  }

  private openSockets(): WebSocket[] {
    return this.sockets.filter((socket) => socket.readyState === socket.OPEN);
  }

  private accept(socket: WebSocket): void {
    this.sockets.push(socket);
    const pinger =
      this.pingIntervalMs > 0 ? setInterval(() => socket.ping(), this.pingIntervalMs).unref() : undefined;
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const ack = parseAck(data.toString());
      if (ack === undefined) return;
      this.book.record(ack);
      this.emit('ack', ack);
    });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      clearInterval(pinger);
      const index = this.sockets.indexOf(socket);
      if (index >= 0) this.sockets.splice(index, 1);
      this.closeCount += 1;
      this.emit('close', this.closeCount);
    });
    this.helloCount += 1;
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open,
        debug_info: { host: DEBUG_HOST, build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: APP_ID },
      }),
    );
    this.emit('connection', this.helloCount);
  }

  private waitUntil(
    event: keyof Events,
    done: () => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `SlackStandin socket: no ${what} within ${timeoutMs} ms (so far ${this.helloCount} opened, ${this.closeCount} closed)`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off(event, check);
      };
      this.on(event, check);
      check();
    });
  }
}
