import { z } from 'zod';
import type { ChangeAction } from './records.js';
import { changeActions } from './settings-actions.js';
import {
  blankIsUnset,
  ConfigError,
  describeIssues,
  type Environment,
  httpUrl,
  NO_WHITESPACE,
  optionalString,
  port,
  redisSecrets,
  redisUrl,
  requiredString,
  seconds,
} from './settings-rules.js';

export { ConfigError, type Environment };

/**
 * Every setting of the bot, parsed once from the environment. Messages name the setting and the rule,
 * never the value: several settings are secrets.
 */
export interface Config {
  slack: {
    botToken: string;
    /** Absent in Socket Mode, where Slack does not sign requests. */
    signingSecret: string | undefined;
    /** Set: Socket Mode. Unset: HTTP mode on `port`. */
    appToken: string | undefined;
    apiUrl: string;
    port: number;
  };
  vps: {
    apiUrl: string;
    apiToken: string;
    timeoutMs: number;
  };
  /** Slack user and user-group IDs allowed to change servers; undefined means everyone. */
  operators: string[] | undefined;
  notifyChannel: string | undefined;
  pollMs: number;
  watchMs: number;
  stateDir: string;
  /** Set: state shared by several replicas in Redis. Unset: the file store under stateDir. */
  redis: RedisSettings | undefined;
  /** How long the tracker/fleet-watch/scheduler lease lasts before another replica may take over. */
  leaseMs: number;
  logLevel: LogLevel;
  /** Two-person approval: the actions that need a second operator, and how long a request stays open. */
  approval: { required: ChangeAction[]; ttlMs: number };
  /** How late a scheduled action may still run (after the bot was down); later, it is reported missed. */
  scheduleGraceMs: number;
}

export interface RedisSettings {
  url: string;
  /** The password in `url` (as written, and decoded), for the logger to scrub. */
  secrets: string[];
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** `.env.example`'s VPS.org token: copied but not filled in, it is no token. */
export const PLACEHOLDER_VPS_TOKEN = 'your-vps-api-token';

const USER_AND_GROUP_IDS = /^[UWS][A-Z0-9]{2,}(\s*,\s*[UWS][A-Z0-9]{2,})*\s*,?$/;

const environmentSchema = z.object({
  // `.env.example`'s placeholder is no token: said so, rather than left for Slack to refuse.
  SLACK_BOT_TOKEN: requiredString(/^xoxb-\S+$/, 'a bot token starting with xoxb-').refine(
    (token) => token.trim() !== 'xoxb-your-bot-token',
    'is still the .env.example placeholder: put the bot token from your Slack app here',
  ),
  SLACK_SIGNING_SECRET: optionalString(NO_WHITESPACE, 'the signing secret from the app settings, no spaces'),
  SLACK_APP_TOKEN: optionalString(/^xapp-\S+$/, 'an app-level token starting with xapp-'),
  SLACK_API_URL: httpUrl('https://slack.com/api/'),
  PORT: port(3000),
  VPS_API_URL: httpUrl('https://admin.vps.org/api/v1'),
  VPS_API_TOKEN: requiredString(NO_WHITESPACE, 'the VPS.org API token, no spaces').refine(
    (token) => token.trim() !== PLACEHOLDER_VPS_TOKEN,
    'is still the .env.example placeholder: put your VPS.org API token here',
  ),
  VPS_OPERATORS: optionalString(
    USER_AND_GROUP_IDS,
    'a comma-separated list of Slack user IDs (U…/W…) and user-group IDs (S…)',
  ),
  VPS_NOTIFY_CHANNEL: optionalString(/^[CGD][A-Z0-9]{2,}$/, 'a Slack channel ID such as C0123456789'),
  VPS_POLL_SECONDS: seconds(5, 3600),
  VPS_API_TIMEOUT_SECONDS: seconds(10, 300),
  VPS_WATCH_SECONDS: seconds(60, 86400),
  STATE_DIR: z.preprocess(blankIsUnset, z.string().default('./data')),
  REDIS_URL: redisUrl(),
  // Renewed every third of it: under half a second, a busy event loop alone would lose it.
  VPS_LEASE_SECONDS: seconds(15, 3600, 0.5),
  VPS_APPROVAL_REQUIRED: changeActions(),
  VPS_APPROVAL_SECONDS: seconds(1800, 7 * 86400),
  VPS_SCHEDULE_GRACE_SECONDS: seconds(600, 86400),
  LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z
      .enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' })
      .default('info'),
  ),
});

/** Parses the environment into a Config, or throws one ConfigError naming every bad setting. */
export function loadConfig(env: Environment): Config {
  const parsed = environmentSchema.safeParse(env);
  const problems = parsed.success ? [] : describeIssues(parsed.error.issues);
  // Zod skips object-level refinements when a field fails, so the cross-setting rule is checked by hand.
  if (
    blankIsUnset(env.SLACK_APP_TOKEN) === undefined &&
    blankIsUnset(env.SLACK_SIGNING_SECRET) === undefined
  ) {
    problems.push('SLACK_SIGNING_SECRET: is required in HTTP mode (when SLACK_APP_TOKEN is unset)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const operators = e.VPS_OPERATORS?.split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      port: e.PORT,
    },
    vps: {
      apiUrl: e.VPS_API_URL.replace(/\/+$/, ''),
      apiToken: e.VPS_API_TOKEN,
      timeoutMs: Math.round(e.VPS_API_TIMEOUT_SECONDS * 1000),
    },
    operators,
    notifyChannel: e.VPS_NOTIFY_CHANNEL,
    pollMs: Math.round(e.VPS_POLL_SECONDS * 1000),
    watchMs: Math.round(e.VPS_WATCH_SECONDS * 1000),
    stateDir: e.STATE_DIR,
    redis: e.REDIS_URL === undefined ? undefined : { url: e.REDIS_URL, secrets: redisSecrets(e.REDIS_URL) },
    leaseMs: Math.round(e.VPS_LEASE_SECONDS * 1000),
    logLevel: e.LOG_LEVEL,
    approval: {
      required: e.VPS_APPROVAL_REQUIRED,
      ttlMs: Math.round(e.VPS_APPROVAL_SECONDS * 1000),
    },
    scheduleGraceMs: Math.round(e.VPS_SCHEDULE_GRACE_SECONDS * 1000),
  };
}
