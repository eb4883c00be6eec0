import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Tests that start the bot as a process run what `npm start` runs: the bundle `npm run build` makes. */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], {
    cwd: resolve(import.meta.dirname, '..'),
    stdio: 'inherit',
  });
}
