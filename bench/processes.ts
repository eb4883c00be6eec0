import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
type Line = Record<string, unknown>;

/** `node <args>` in its own process, its JSON log lines parsed. */
export class TsProcess {
  readonly child: ChildProcess;
  readonly lines: Line[] = [];
  readonly exited: Promise<void>;
  #stderr = '';
  #buffered = '';
  readonly #waiters = new Set<() => void>();

  constructor(
    readonly name: string,
    args: string[],
    env: Record<string, string>,
    cwd: string,
  ) {
    // Only what the bench gives: no shell setting leaks in.
    this.child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.#read(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => {
      if (this.#stderr.length < 20_000) this.#stderr += chunk.toString();
    });
    this.exited = new Promise((done) =>
      this.child.once('exit', () => {
        for (const wake of this.#waiters) wake();
        done();
      }),
    );
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** The first log line matching, already written or to come. */
  waitForLine(match: (line: Line) => boolean, timeoutMs = 30_000): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.find(match);
        if (found) {
          cleanup();
          resolve(found);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          cleanup();
          reject(
            new Error(`${this.name} exited before the line came; stderr: ${this.#stderr.slice(0, 2000)}`),
          );
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `${this.name}: no such log line within ${timeoutMs} ms; last lines: ${JSON.stringify(this.lines.slice(-5))}; stderr: ${this.#stderr.slice(0, 2000)}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error(`${this.name} has no pid: ${this.#stderr.slice(0, 2000)}`);
    return pid;
  }

  /** SIGKILL: nothing under way is waited for. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  #read(text: string): void {
    this.#buffered += text;
    const complete = this.#buffered.split('\n');
    this.#buffered = complete.pop() ?? '';
    for (const line of complete) {
      if (line.trim() === '') continue;
      try {
        this.lines.push(JSON.parse(line) as Line);
      } catch {
        this.lines.push({ raw: line });
      }
    }
    for (const wake of this.#waiters) wake();
  }
}

/** Starts a process that logs `{"msg": readyMessage, "port": N}` once it listens, and returns that port. */
export async function startListening(
  proc: TsProcess,
  readyMessage: string,
  timeoutMs = 30_000,
): Promise<number> {
  try {
    const line = await proc.waitForLine((l) => l.msg === readyMessage, timeoutMs);
    const port = Number(line.port);
    if (!Number.isInteger(port) || port <= 0)
      throw new Error(`${proc.name} logged no port: ${JSON.stringify(line)}`);
    return port;
  } catch (error) {
    await proc.kill();
    throw error;
  }
}
