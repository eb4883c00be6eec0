import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../src/config.js';
import { loadPlaygroundSettings } from '../src/playground/settings.js';
import { loadSimulatorSettings } from '../src/simulator/settings.js';
import { helpMessage } from '../src/slack/blocks/help.js';
import { parseCommand, USAGE } from '../src/slack/parse.js';

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

describe('the /vps grammar', () => {
  const block = readme.slice(readme.indexOf('## Using it'));
  const usageBlock = block.slice(block.indexOf('```'), block.indexOf('```', block.indexOf('```') + 3));
  const hint: string = parseYaml(read('manifest.yml')).features.slash_commands[0].usage_hint;
  const help = helpMessage(true).text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const verbs = ['help', ...Object.keys(USAGE)];

  it('every verb the parser takes is in the README, the help and the manifest usage hint', () => {
    for (const verb of verbs) {
      const word = new RegExp(`(^|[\\s|/])${verb}([\\s|\\],]|$)`, 'm');
      expect({ verb, readme: word.test(usageBlock) }).toEqual({ verb, readme: true });
      expect({ verb, help: word.test(help) }).toEqual({ verb, help: true });
      expect({ verb, hint: word.test(hint) }).toEqual({ verb, hint: true });
    }
  });

  it('the scheduled forms and the one-line create are in all three', () => {
    for (const [where, text] of [
      ['README', usageBlock],
      ['help', help],
      ['manifest', hint],
    ] as const) {
      for (const form of [
        /\bat </,
        /\bin </,
        /stop <server> for </,
        /create \[?<name> plan=<id> os=<id> location=<code>/,
      ]) {
        expect({ where, form: String(form), found: form.test(text) }).toEqual({
          where,
          form: String(form),
          found: true,
        });
      }
    }
  });

  it('the aliases the README names are the ones the parser takes', () => {
    for (const [alias, verb] of [
      ['', 'help'],
      ['?', 'help'],
      ['ls', 'list'],
      ['info web-01', 'show'],
      ['status web-01', 'show'],
    ] as const) {
      const parsed = parseCommand(alias);
      expect(parsed.ok && parsed.command.verb).toBe(verb);
    }
    expect(usageBlock).toContain('alias: ls');
    expect(usageBlock).toContain('/vps ?');
    expect(usageBlock).toContain('aliases: info, status');
  });
});
