import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Tests that start the bot as a process run what `npm start` runs: the bundle `npm run build` makes.
 * The benchmark's smoke test also needs its baseline app, built the same way.
 */
export default function setup(): void {
  const cwd = resolve(import.meta.dirname, '..');
  for (const script of ['build', 'build:baseline']) {
    execFileSync('npm', ['run', '--silent', script], { cwd, stdio: 'inherit' });
  }
}
