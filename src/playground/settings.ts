import { join } from 'node:path';
import { z } from 'zod';
import { type Environment, type LogLevel, PLACEHOLDER_VPS_TOKEN } from '../config.js';
import { blankIsUnset, parseSettings, port, seconds } from '../settings-rules.js';

/** The playground's own settings: a few of the bot's names, read with the playground's defaults. */
export interface PlaygroundSettings {
  /** The one port a person opens, on 127.0.0.1. */
  port: number;
  /** Everything the playground keeps: STATE_DIR/playground, never a real bot's directory. */
  dir: string;
  logLevel: LogLevel;
  /** How long the simulator's starts, stops and reboots take. */
  settleMs: number;
  /** A real VPS.org instead of the simulator: only when both its URL and its token are set. */
  vps: { apiUrl: string; apiToken: string } | undefined;
  apiTimeoutSeconds: number;
}

const schema = z.object({
  PORT: port(3000),
  STATE_DIR: z.preprocess(blankIsUnset, z.string().default('./data')),
  // A person reads the terminal: only what needs their attention, unless they ask for more.
  LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z
      .enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' })
      .default('warn'),
  ),
  SIMULATOR_SETTLE_SECONDS: z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: 'must be a number of seconds between 0.1 and 60' })
      .min(0.1, 'must be a number of seconds between 0.1 and 60')
      .max(60, 'must be a number of seconds between 0.1 and 60')
      .default(3),
  ),
  VPS_API_URL: z.preprocess(blankIsUnset, z.string().optional()),
  VPS_API_TOKEN: z.preprocess(blankIsUnset, z.string().optional()),
  VPS_API_TIMEOUT_SECONDS: seconds(5, 300),
});

export function loadPlaygroundSettings(env: Environment): PlaygroundSettings {
  const e = parseSettings(schema, env);
  const token = e.VPS_API_TOKEN === PLACEHOLDER_VPS_TOKEN ? undefined : e.VPS_API_TOKEN;
  return {
    port: e.PORT,
    dir: join(e.STATE_DIR, 'playground'),
    logLevel: e.LOG_LEVEL,
    settleMs: Math.round(e.SIMULATOR_SETTLE_SECONDS * 1000),
    vps:
      e.VPS_API_URL !== undefined && token !== undefined
        ? { apiUrl: e.VPS_API_URL, apiToken: token }
        : undefined,
    apiTimeoutSeconds: e.VPS_API_TIMEOUT_SECONDS,
  };
}
