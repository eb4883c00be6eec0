import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const MAIN = join(ROOT, 'src/simulator/main.ts');
// An empty directory, so that no developer's .env is read.
const CWD = mkdtempSync(join(tmpdir(), 'vps-simulator-'));

afterAll(() => rmSync(CWD, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [TSX, MAIN], {
    cwd: CWD,
    env: { ...process.env, SIMULATOR_PORT: '0', VPS_API_TOKEN: '', SIMULATOR_SETTLE_SECONDS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Resolves once the CLI has printed its .env lines (or rejects when it exits first). */
async function listening(r: Run): Promise<string> {
  const printed = /VPS_API_TOKEN=.*\n/;
  if (!printed.test(r.stdout())) {
    await new Promise<void>((done, fail) => {
      const onData = () => {
        if (printed.test(r.stdout())) {
          r.child.stdout?.off('data', onData);
          done();
        }
      };
      r.child.stdout?.on('data', onData);
      r.child.once('exit', () => fail(new Error(`not started: ${r.stderr()}`)));
    });
  }
  const url = /listening on (\S+)/.exec(r.stdout())?.[1];
  if (!url) throw new Error(`no URL in: ${r.stdout()}`);
  return url;
}

describe('npm run simulator', () => {
  it('prints where it listens and what to put in .env, serves the API, and exits 0 on SIGTERM', async () => {
    const sim = run({});
    try {
      const url = await listening(sim);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      expect(sim.stdout()).toBe(
        [
          `VPS.org simulator listening on ${url}`,
          'Put these in .env to point the bot at it:',
          `  VPS_API_URL=${url}`,
          '  VPS_API_TOKEN=simulator-token',
          '',
        ].join('\n'),
      );
      const res = await fetch(`${url}/servers/`, { headers: { Authorization: 'Bearer simulator-token' } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { count: number }).count).toBe(3);
      sim.child.kill('SIGTERM');
      expect(await sim.exit).toBe(0);
    } finally {
      sim.child.kill('SIGKILL');
    }
  });

  it('accepts VPS_API_TOKEN without printing it', async () => {
    const sim = run({ VPS_API_TOKEN: 'tok-from-env-123' });
    try {
      const url = await listening(sim);
      expect(sim.stdout()).not.toContain('tok-from-env-123');
      const res = await fetch(`${url}/servers/`, { headers: { Authorization: 'Bearer tok-from-env-123' } });
      expect(res.status).toBe(200);
      sim.child.kill('SIGINT');
      expect(await sim.exit).toBe(0);
    } finally {
      sim.child.kill('SIGKILL');
    }
  });

  it('stops with one clear line on a bad setting', async () => {
    const sim = run({ SIMULATOR_PORT: 'abc', VPS_API_TOKEN: 'tok-secret-456' });
    expect(await sim.exit).toBe(1);
    expect(sim.stderr().trim()).toBe(
      'Simulator not started: SIMULATOR_PORT: must be a port number from 0 to 65535.',
    );
    expect(sim.stdout()).toBe('');
  });
});
