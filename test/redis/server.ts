import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServerOptions {
  /** Keep data across a stop and a start (append-only file, flushed on every write). Default off. */
  persistent?: boolean;
  /** Require this password (`requirepass`). */
  password?: string;
}

/** A real redis-server of the test's own, on a free port of 127.0.0.1, in a temporary directory. */
export class RedisServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'vps-bot-redis-'));
  #port = 0;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #output = '';

  private constructor(readonly options: RedisServerOptions) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(options);
    server.#port = await freePort();
    await server.start();
    return server;
  }

  get port(): number {
    return this.#port;
  }

  /** `redis://[:password@]127.0.0.1:port`, optionally with a database number. */
  url(db?: number): string {
    const auth = this.options.password ? `:${encodeURIComponent(this.options.password)}@` : '';
    return `redis://${auth}127.0.0.1:${this.#port}${db === undefined ? '' : `/${db}`}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts it (again, on the same port and directory) and resolves once it answers PING. */
  async start(): Promise<void> {
    if (this.#child) return;
    const args = [
      '--port',
      String(this.#port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      this.options.persistent ? 'yes' : 'no',
      '--appendfsync',
      'always',
      '--daemonize',
      'no',
    ];
    if (this.options.password) args.push('--requirepass', this.options.password);
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    this.#output = '';
    const collect = (chunk: Buffer) => {
      if (this.#output.length < 10_000) this.#output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(new Error(`could not run redis-server (install it: apt-get install redis-server): ${error}`)),
      );
    });
    await spawned;
    await this.#waitForPing();
  }

  /** Stops it (SIGTERM, as a service manager would) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    child.kill('SIGTERM');
    await this.#exited;
  }

  /** Freezes it (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** Thaws it (SIGCONT). */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Stops it and removes its directory. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async #waitForPing(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#child) {
      if (await ping(this.#port, this.options.password)) return;
      if (Date.now() > deadline) break;
      // Redis is still starting: the next PING goes out as soon as this one has been refused.
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`redis-server on port ${this.#port} did not answer PING: ${this.#output.slice(0, 2000)}`);
  }
}

/** One PING over a fresh connection: true on PONG. */
function ping(port: number, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => setTimeout(() => done(false), 10));
    socket.on('connect', () => socket.write(password ? `AUTH ${password}\r\nPING\r\n` : 'PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('+PONG')) done(true);
      else if (answer.includes('-LOADING')) done(false);
    });
  });
}

/** A port nothing listens on now: bound to 0, read, and closed. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
