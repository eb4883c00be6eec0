import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

/** Runs the child with its failure; resolves with its exit code and its parsed log lines. */
function run(failure: 'rejection' | 'exception') {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'test/process-guards-child.ts'), failure],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise<{ code: number | null; lines: Record<string, unknown>[]; raw: string }>((done) => {
    child.on('close', (code) => {
      const lines = out
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      done({ code, lines, raw: out });
    });
  });
}

describe('the process guards', () => {
  it('an unhandled rejection is logged with its stack, scrubbed, and the process carries on', async () => {
    const { code, lines, raw } = await run('rejection');
    expect(code).toBe(0);
    expect(lines.map((line) => line.msg)).toEqual([
      'unhandled rejection: its work is lost, the bot carries on',
      'still serving',
    ]);
    expect(lines[0]).toMatchObject({ level: 'error', err: 'lost work with [redacted] in it' });
    expect(String(lines[0]?.stack)).toContain('process-guards-child.ts');
    expect(raw).not.toContain('xoxb-child-secret');
  });

  it('an uncaught exception is logged with its stack, the bot stops, and the process exits 1', async () => {
    const { code, lines } = await run('exception');
    expect(code).toBe(1);
    expect(lines.map((line) => line.msg)).toEqual([
      'uncaught exception: the bot stops and exits 1, to be restarted',
      'stopped',
    ]);
    expect(lines[0]).toMatchObject({ level: 'fatal', err: 'a callback broke' });
    expect(String(lines[0]?.stack)).toContain('process-guards-child.ts');
  });
});
