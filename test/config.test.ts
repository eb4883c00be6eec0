import { describe, expect, it } from 'vitest';
import { ConfigError, type Environment, loadConfig } from '../src/config.js';

const minimal: Environment = {
  SLACK_BOT_TOKEN: 'xoxb-123-secretbot',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  VPS_API_TOKEN: 'vps-secret-token',
};

function problems(env: Environment): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the settings to be refused');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config).toEqual({
      slack: {
        botToken: 'xoxb-123-secretbot',
        signingSecret: 'signing-secret-value',
        appToken: undefined,
        apiUrl: 'https://slack.com/api/',
        port: 3000,
      },
      vps: { apiUrl: 'https://admin.vps.org/api/v1', apiToken: 'vps-secret-token', timeoutMs: 10_000 },
      operators: undefined,
      notifyChannel: undefined,
      pollMs: 5000,
      watchMs: 60_000,
      stateDir: './data',
      redis: undefined,
      leaseMs: 15_000,
      logLevel: 'info',
      approval: { required: [], ttlMs: 1_800_000 },
      scheduleGraceMs: 600_000,
    });
  });

  it('takes REDIS_URL (redis:// or rediss://) and VPS_LEASE_SECONDS, keeping the password for the scrubber', () => {
    const config = loadConfig({
      ...minimal,
      REDIS_URL: 'redis://bot:p%40ss-w0rd@10.0.0.5:6380/2',
      VPS_LEASE_SECONDS: '0.5',
    });
    expect(config.redis).toEqual({
      url: 'redis://bot:p%40ss-w0rd@10.0.0.5:6380/2',
      secrets: ['p%40ss-w0rd', 'p@ss-w0rd'],
    });
    expect(config.leaseMs).toBe(500);
    expect(loadConfig({ ...minimal, REDIS_URL: 'rediss://cache.example.com:6379' }).redis?.secrets).toEqual(
      [],
    );
    expect(loadConfig({ ...minimal, REDIS_URL: '  ' }).redis).toBeUndefined();
    expect(loadConfig({ ...minimal, REDIS_URL: ' redis://cache:6379/1 ' }).redis?.url).toBe(
      'redis://cache:6379/1',
    );
  });

  it('names REDIS_URL when it is not a Redis URL, without echoing it', () => {
    for (const bad of [
      'http://:hunter22@cache:6379',
      'redis://:hunter22@cache:6379/db',
      'redis://:hunter22@cache:6379/0?tls=1',
      'redis://:hunter22@/0',
      'not a url hunter22',
      'redis://:hunter22@cache:0',
    ]) {
      let message = '';
      try {
        loadConfig({ ...minimal, REDIS_URL: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, bad).toContain('REDIS_URL: must be a redis:// or rediss:// URL');
      expect(message, bad).not.toContain('hunter22');
    }
    expect(() => loadConfig({ ...minimal, VPS_LEASE_SECONDS: '0' })).toThrow(/VPS_LEASE_SECONDS: must be/);
    expect(() => loadConfig({ ...minimal, VPS_LEASE_SECONDS: '0.01' })).toThrow(
      /VPS_LEASE_SECONDS: must be a number of seconds between 0.5 and 3600/,
    );
  });

  it('accepts every setting', () => {
    const config = loadConfig({
      ...minimal,
      SLACK_APP_TOKEN: 'xapp-1-abc',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      PORT: '0',
      VPS_API_URL: 'http://127.0.0.1:4010/api/v1/',
      VPS_OPERATORS: 'U012ABC, W0456DEF,S0789GHI',
      VPS_NOTIFY_CHANNEL: 'C0123456789',
      VPS_POLL_SECONDS: '0.25',
      VPS_API_TIMEOUT_SECONDS: '2.5',
      VPS_WATCH_SECONDS: '30',
      STATE_DIR: '/var/lib/vps-bot',
      LOG_LEVEL: 'debug',
      VPS_APPROVAL_REQUIRED: ' Delete, stop,delete ',
      VPS_APPROVAL_SECONDS: '600',
      VPS_SCHEDULE_GRACE_SECONDS: '120',
    });
    expect(config.slack.appToken).toBe('xapp-1-abc');
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.slack.port).toBe(0);
    expect(config.vps.apiUrl).toBe('http://127.0.0.1:4010/api/v1');
    expect(config.vps.timeoutMs).toBe(2500);
    expect(config.operators).toEqual(['U012ABC', 'W0456DEF', 'S0789GHI']);
    expect(config.notifyChannel).toBe('C0123456789');
    expect(config.pollMs).toBe(250);
    expect(config.watchMs).toBe(30_000);
    expect(config.stateDir).toBe('/var/lib/vps-bot');
    expect(config.logLevel).toBe('debug');
    expect(config.approval).toEqual({ required: ['delete', 'stop'], ttlMs: 600_000 });
    expect(config.scheduleGraceMs).toBe(120_000);
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ ...minimal, SLACK_APP_TOKEN: '', VPS_OPERATORS: '  ', PORT: '' });
    expect(config.slack.appToken).toBeUndefined();
    expect(config.operators).toBeUndefined();
    expect(config.slack.port).toBe(3000);
  });

  it('needs no signing secret in Socket Mode', () => {
    const config = loadConfig({ ...minimal, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-abc' });
    expect(config.slack.signingSecret).toBeUndefined();
  });

  it('names every missing setting at once', () => {
    expect(problems({})).toEqual([
      'SLACK_BOT_TOKEN: is required (a bot token starting with xoxb-)',
      'VPS_API_TOKEN: is required (the VPS.org API token, no spaces)',
      'SLACK_SIGNING_SECRET: is required in HTTP mode (when SLACK_APP_TOKEN is unset)',
    ]);
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', 'SLACK_BOT_TOKEN: must be a bot token starting with xoxb-'],
    [
      'SLACK_APP_TOKEN',
      'xoxb-not-an-app-token',
      'SLACK_APP_TOKEN: must be an app-level token starting with xapp-',
    ],
    [
      'SLACK_SIGNING_SECRET',
      'has a space',
      'SLACK_SIGNING_SECRET: must be the signing secret from the app settings, no spaces',
    ],
    ['SLACK_API_URL', 'slack.com/api', 'SLACK_API_URL: must be an http(s) URL'],
    ['PORT', '70000', 'PORT: must be a port number from 0 to 65535'],
    ['PORT', 'eighty', 'PORT: must be a port number from 0 to 65535'],
    ['PORT', '80.5', 'PORT: must be a port number from 0 to 65535'],
    ['VPS_API_URL', 'ftp://admin.vps.org/api/v1', 'VPS_API_URL: must be an http(s) URL'],
    ['VPS_API_TOKEN', 'two words', 'VPS_API_TOKEN: must be the VPS.org API token, no spaces'],
    [
      'SLACK_BOT_TOKEN',
      'xoxb-your-bot-token',
      'SLACK_BOT_TOKEN: is still the .env.example placeholder: put the bot token from your Slack app here',
    ],
    [
      'VPS_API_TOKEN',
      'your-vps-api-token',
      'VPS_API_TOKEN: is still the .env.example placeholder: put your VPS.org API token here',
    ],
    [
      'VPS_OPERATORS',
      'U012ABC,alice',
      'VPS_OPERATORS: must be a comma-separated list of Slack user IDs (U…/W…) and user-group IDs (S…)',
    ],
    ['VPS_NOTIFY_CHANNEL', '#ops', 'VPS_NOTIFY_CHANNEL: must be a Slack channel ID such as C0123456789'],
    ['VPS_POLL_SECONDS', '0', 'VPS_POLL_SECONDS: must be a number of seconds between 0.01 and 3600'],
    ['VPS_POLL_SECONDS', 'soon', 'VPS_POLL_SECONDS: must be a number of seconds between 0.01 and 3600'],
    [
      'VPS_API_TIMEOUT_SECONDS',
      '-1',
      'VPS_API_TIMEOUT_SECONDS: must be a number of seconds between 0.01 and 300',
    ],
    ['VPS_WATCH_SECONDS', '100000', 'VPS_WATCH_SECONDS: must be a number of seconds between 0.01 and 86400'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: must be one of debug, info, warn, error'],
    [
      'VPS_APPROVAL_REQUIRED',
      'delete,shutdown',
      'VPS_APPROVAL_REQUIRED: "shutdown" is not an action; use a comma-separated list of start, stop, reboot, delete, rename, hostname, backups, edit, create',
    ],
    [
      'VPS_APPROVAL_REQUIRED',
      'nuke, stop ,Wipe',
      'VPS_APPROVAL_REQUIRED: "nuke", "wipe" are not actions; use a comma-separated list of start, stop, reboot, delete, rename, hostname, backups, edit, create',
    ],
    [
      'VPS_APPROVAL_SECONDS',
      'forever',
      'VPS_APPROVAL_SECONDS: must be a number of seconds between 0.01 and 604800',
    ],
    [
      'VPS_SCHEDULE_GRACE_SECONDS',
      '0',
      'VPS_SCHEDULE_GRACE_SECONDS: must be a number of seconds between 0.01 and 86400',
    ],
  ])('refuses a bad %s with a reason', (name, value, expected) => {
    expect(problems({ ...minimal, [name]: value })).toEqual([expected]);
  });

  it('never echoes a secret in its error', () => {
    const secrets = {
      SLACK_BOT_TOKEN: 'xoxp-leaky-user-token-1',
      SLACK_SIGNING_SECRET: 'leaky signing secret',
      SLACK_APP_TOKEN: 'xoxb-leaky-app-token',
      VPS_API_TOKEN: 'leaky vps token',
    };
    let message = '';
    try {
      loadConfig(secrets);
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain('SLACK_BOT_TOKEN');
    for (const value of Object.values(secrets)) expect(message).not.toContain(value);
  });
});
