import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandFromManifest } from '../../src/playground/assets.js';
import { PLACEHOLDER_BOT_TOKEN, startMode } from '../../src/playground/decide.js';
import { loadPlaygroundSettings } from '../../src/playground/settings.js';

describe('bot or playground', () => {
  it('is the playground when no Slack setting is given, outside production', () => {
    expect(startMode({}, [])).toBe('playground');
    expect(startMode({ SLACK_BOT_TOKEN: '  ' }, [])).toBe('playground');
    expect(startMode({ SLACK_BOT_TOKEN: PLACEHOLDER_BOT_TOKEN, SLACK_APP_TOKEN: '' }, [])).toBe('playground');
    expect(startMode({ NODE_ENV: 'development' }, [])).toBe('playground');
  });

  it('is the bot as soon as a Slack token is given', () => {
    expect(startMode({ SLACK_BOT_TOKEN: 'xoxb-1-2' }, [])).toBe('bot');
    expect(startMode({ SLACK_APP_TOKEN: 'xapp-1' }, [])).toBe('bot');
    expect(startMode({ SLACK_BOT_TOKEN: PLACEHOLDER_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1' }, [])).toBe('bot');
  });

  it('is never the playground by accident in production: the settings error stays', () => {
    expect(startMode({ NODE_ENV: 'production' }, [])).toBe('bot');
    expect(startMode({ NODE_ENV: 'production', SLACK_BOT_TOKEN: PLACEHOLDER_BOT_TOKEN }, [])).toBe('bot');
  });

  it('is the playground when asked for, whatever the settings say', () => {
    expect(startMode({ SLACK_BOT_TOKEN: 'xoxb-1-2' }, ['--playground'])).toBe('playground');
    expect(startMode({ NODE_ENV: 'production' }, ['--playground'])).toBe('playground');
  });
});

describe('playground settings', () => {
  it('keeps its state apart, under STATE_DIR/playground', () => {
    expect(loadPlaygroundSettings({}).dir).toMatch(/^data[/\\]playground$/);
    expect(loadPlaygroundSettings({ STATE_DIR: '/tmp/x' }).dir).toBe('/tmp/x/playground');
  });

  it('uses the simulator unless both VPS_API_URL and a real VPS_API_TOKEN are set', () => {
    expect(loadPlaygroundSettings({ VPS_API_URL: 'https://vps.example/api/v1' }).vps).toBeUndefined();
    expect(
      loadPlaygroundSettings({
        VPS_API_URL: 'https://vps.example/api/v1',
        VPS_API_TOKEN: 'your-vps-api-token',
      }).vps,
    ).toBeUndefined();
    expect(
      loadPlaygroundSettings({ VPS_API_URL: 'https://vps.example/api/v1', VPS_API_TOKEN: 't' }).vps,
    ).toEqual({
      apiUrl: 'https://vps.example/api/v1',
      apiToken: 't',
    });
  });

  it('names a bad setting', () => {
    expect(() => loadPlaygroundSettings({ PORT: 'eighty' })).toThrow(/PORT: must be a port number/);
  });
});

describe('the /vps command as the manifest declares it', () => {
  it('reads the same name, description and usage hint as a YAML parser', () => {
    const text = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
    const manifest = parse(text) as {
      features: { slash_commands: { command: string; description: string; usage_hint: string }[] };
    };
    const [declared] = manifest.features.slash_commands;
    expect(commandFromManifest(text)).toEqual({
      name: declared?.command,
      description: declared?.description,
      usageHint: declared?.usage_hint,
    });
  });
});
