import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { loadPlaygroundSettings } from '../src/playground/settings.js';
import { loadSimulatorSettings } from '../src/simulator/settings.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

const example = parse(read('.env.example'));
const readme = read('README.md');

/** The names in the first column of the README's settings table. */
function readmeSettings(): string[] {
  const section = readme.slice(
    readme.indexOf('\n## Settings\n'),
    readme.indexOf('\n## The VPS.org simulator\n'),
  );
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((match) => match[1] as string);
}

describe('.env.example and the README', () => {
  it('name the same settings', () => {
    // A setting best left unset in .env is there as a comment: `# NODE_ENV=production`.
    const commented = [...read('.env.example').matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map(
      (m) => m[1] as string,
    );
    expect([...Object.keys(example), ...commented].sort()).toEqual(readmeSettings().sort());
  });

  it('.env.example copied to .env keeps the playground on its own defaults', () => {
    const settings = loadPlaygroundSettings(example);
    expect(settings.logLevel).toBe('warn');
    expect(settings.settleMs).toBe(3000);
    expect(settings.apiTimeoutSeconds).toBe(5);
    expect(settings.vps).toBeUndefined();
  });

  it('.env.example copied to .env and filled in gives the bot and the simulator their defaults', () => {
    const config = loadConfig({
      ...example,
      SLACK_BOT_TOKEN: 'xoxb-1-filled-in',
      SLACK_APP_TOKEN: 'xapp-1-filled-in',
      VPS_API_TOKEN: 'a-real-token',
    });
    expect(config.logLevel).toBe('info');
    expect(config.vps.timeoutMs).toBe(10_000);
    expect(config.vps.apiUrl).toBe('https://admin.vps.org/api/v1');
    const simulator = loadSimulatorSettings({ ...example, VPS_API_TOKEN: '' });
    expect(simulator).toEqual({ port: 4010, token: 'simulator-token', settleMs: 5000 });
  });
});
