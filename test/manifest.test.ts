import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8'));
// Slack's published manifest schema (slackapi/manifest-schema, MIT), vendored so the test needs no network.
const schema = JSON.parse(
  readFileSync(
    new URL('./fixtures/slack-manifest-schema/manifest.schema.1.0.0.json', import.meta.url),
    'utf8',
  ),
);

describe('manifest.yml', () => {
  it('is a valid Slack app manifest', () => {
    // strict off: Slack's schema uses a non-standard "regex" keyword.
    const validate = new Ajv({ strict: false, allErrors: true, formats: { uri: true } }).compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares /vps with a usage hint, interactivity and Socket Mode', () => {
    const [command] = manifest.features.slash_commands;
    expect(command.command).toBe('/vps');
    expect(command.usage_hint).toMatch(/list/);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('has a Home tab, hears app_home_opened, and hints at the scheduled forms', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    const [command] = manifest.features.slash_commands;
    expect(command.usage_hint).toMatch(/at <HH:MM>/);
    expect(command.usage_hint).toMatch(/for <2h>/);
    expect(command.usage_hint).toMatch(/scheduled/);
    expect(command.usage_hint.length).toBeLessThanOrEqual(1000);
  });

  it('asks only for the bot scopes the bot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['chat:write', 'chat:write.public', 'commands', 'im:write', 'usergroups:read', 'users:read'].sort(),
    );
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });
});
