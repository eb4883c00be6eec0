import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Environment } from '../../src/config.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The Node arguments of `npm start`, read from package.json, so that tests and the benchmark run the
 * bot exactly as users do (the bundle `npm run build` makes, with the same V8 flags).
 */
export function startArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [node, ...args] = scripts.start.trim().split(/\s+/);
  if (node !== 'node') throw new Error(`npm start is expected to run node, not: ${scripts.start}`);
  return args.map((arg) => (arg.startsWith('-') ? arg : resolve(ROOT, arg)));
}

/** The bot as `npm start` runs it: a real process, its JSON log lines parsed as they arrive. */
export interface BotProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves with the first log line matching, already written or to come. */
  waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The HTTP port it listens on, from its "vps-bot is running" line. */
  port(): Promise<number>;
}

/** The settings that point a bot at a simulator and a Slack stand-in on loopback, plus `extra`. */
export function botEnv(
  sim: { baseUrl: string; token: string },
  slack: { botToken: string; signingSecret: string; apiUrl: string },
  extra: Environment = {},
): Environment {
  return {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    VPS_API_URL: sim.baseUrl,
    VPS_API_TOKEN: sim.token,
    ...extra,
  };
}

export function startBotProcess(env: Environment, cwd = ROOT): BotProcess {
  // One process, as `npm start` runs it: a signal reaches the bot itself, not a wrapper.
  const child = spawn(process.execPath, startArgs(), {
    cwd,
    // Only what the test gives: no developer .env or shell setting leaks in.
    env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const text of complete) {
      if (text.trim() === '') continue;
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        lines.push({ raw: text });
      }
    }
    for (const wake of waiters) wake();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => {
      for (const wake of waiters) wake();
      done({ code, signal });
    }),
  );
  const waitForLine: BotProcess['waitForLine'] = (match, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found) {
          cleanup();
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          reject(new Error(`bot exited before the line came; stderr: ${stderr.slice(0, 2000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `no such log line within ${timeoutMs} ms; last lines: ${JSON.stringify(lines.slice(-5))}; stderr: ${stderr.slice(0, 1000)}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return {
    child,
    lines,
    waitForLine,
    exited,
    async port() {
      const running = await waitForLine((line) => line.msg === 'vps-bot is running');
      return Number(running.port);
    },
  };
}
