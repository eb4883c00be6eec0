import { z } from 'zod';

/**
 * The rules every program here reads its settings with (the bot, the simulator, the playground):
 * blank is unset, and a message names the setting and the rule, never the value.
 */

export type Environment = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const blankIsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const required = (rule: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is required (${rule})` : `must be ${rule}`;

export const optionalString = (pattern: RegExp, rule: string) =>
  z.preprocess(
    blankIsUnset,
    z
      .string({ error: required(rule) })
      .regex(pattern, `must be ${rule}`)
      .optional(),
  );

export const requiredString = (pattern: RegExp, rule: string) =>
  z.preprocess(blankIsUnset, z.string({ error: required(rule) }).regex(pattern, `must be ${rule}`));

export const httpUrl = (fallback: string) =>
  z.preprocess(
    blankIsUnset,
    z
      .string()
      .default(fallback)
      .refine((value) => {
        try {
          const url = new URL(value);
          return url.protocol === 'http:' || url.protocol === 'https:';
        } catch {
          return false;
        }
      }, 'must be an http(s) URL'),
  );

export const seconds = (fallback: number, max: number, min = 0.01) => {
  const rule = `must be a number of seconds between ${min} and ${max}`;
  return z.preprocess(
    blankIsUnset,
    z.coerce.number({ error: rule }).min(min, rule).max(max, rule).default(fallback),
  );
};

export const port = (fallback: number) =>
  z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: 'must be a port number from 0 to 65535' })
      .int('must be a port number from 0 to 65535')
      .min(0, 'must be a port number from 0 to 65535')
      .max(65535, 'must be a port number from 0 to 65535')
      .default(fallback),
  );

const RULE_FOR_REDIS_URL =
  'must be a redis:// or rediss:// URL: redis://[user:password@]host:port[/db], the db a number';

/** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. Optional. */
export const redisUrl = () =>
  z.preprocess(
    (value) => {
      const set = blankIsUnset(value);
      return typeof set === 'string' ? set.trim() : set;
    },
    z
      .string()
      .refine((value) => {
        try {
          const url = new URL(value);
          const db = url.pathname.replace(/^\//, '');
          return (
            (url.protocol === 'redis:' || url.protocol === 'rediss:') &&
            url.hostname !== '' &&
            url.port !== '0' &&
            (db === '' || /^\d{1,5}$/.test(db)) &&
            url.search === '' &&
            url.hash === ''
          );
        } catch {
          return false;
        }
      }, RULE_FOR_REDIS_URL)
      .optional(),
  );

/** The password in a Redis URL, as written and as Redis sees it: secrets to scrub from every log line. */
export function redisSecrets(url: string): string[] {
  const { password } = new URL(url);
  if (password === '') return [];
  try {
    return [...new Set([password, decodeURIComponent(password)])];
  } catch {
    return [password];
  }
}

export const NO_WHITESPACE = /^\S+$/;

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`);
}

/** Parses `env` with `schema`, or throws one ConfigError naming every bad setting. */
export function parseSettings<T>(schema: z.ZodType<T>, env: Environment): T {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues));
  return parsed.data;
}
