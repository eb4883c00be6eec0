import { type Logger as SlackLogger, LogLevel as SlackLogLevel, webApi } from '@slack/bolt';
import { pino } from 'pino';
import type { LogLevel } from './config.js';
import { VpsError } from './vps/errors.js';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level: LogLevel;
  /** Values that must never reach a log line (tokens, signing secret): replaced wherever they appear. */
  secrets: readonly string[];
  /** Where lines go; stdout by default. Tests pass a collector. */
  write?: (line: string) => void;
}

/** Slack token shapes, scrubbed even when the value is not one of the configured secrets. */
const tokenShapes = /\bxox[abposr]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+/g;

/** The `user:password@` of a Redis URL, whatever the password's length: never logged, even if a URL is. */
const redisUrlCredentials = /\b(rediss?:\/\/)[^\s/@"]*@/gi;

export function scrubber(secrets: readonly string[]): (text: string) => string {
  // A line is JSON: a secret holding a quote, a backslash or a control character appears escaped.
  const known = secrets
    .filter((secret) => secret.length >= 4)
    .flatMap((secret) => [...new Set([JSON.stringify(secret).slice(1, -1), secret])]);
  return (text) => {
    let clean = text.replace(tokenShapes, '[redacted]').replace(redisUrlCredentials, '$1[redacted]@');
    for (const secret of known) clean = clean.split(secret).join('[redacted]');
    return clean;
  };
}

/** One JSON object a line, with every secret scrubbed from the finished line, whatever logged it. */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = scrubber(options.secrets);
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => write(scrub(line)) },
  );
}

const BOLT_LEVELS: Record<LogLevel, SlackLogLevel> = {
  debug: SlackLogLevel.DEBUG,
  info: SlackLogLevel.INFO,
  warn: SlackLogLevel.WARN,
  error: SlackLogLevel.ERROR,
};

/** Bolt and its Web API client log through ours, so their lines are JSON and scrubbed too. */
export function slackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'bolt' });
  const text = (parts: unknown[]) =>
    parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
  return {
    debug: (...parts) => child.debug(text(parts)),
    info: (...parts) => child.info(text(parts)),
    warn: (...parts) => child.warn(text(parts)),
    error: (...parts) => child.error(text(parts)),
    setLevel: () => {
      // The level is LOG_LEVEL's, fixed at start.
    },
    getLevel: () => BOLT_LEVELS[child.level as LogLevel] ?? SlackLogLevel.INFO,
    setName: () => {
      // Lines carry `component` instead of a name.
    },
  };
}

/**
 * An error as log fields, the one way every part logs one: what it says (Slack's error code for a
 * Web API refusal), and the stack of anything unexpected, so a bug can be found from its log line.
 */
export function errorFields(error: unknown): { err: string; stack?: string } {
  if (error instanceof webApi.WebAPIPlatformError) return { err: `slack: ${error.data.error}` };
  if (error instanceof VpsError) return { err: error.message };
  if (error instanceof Error)
    return error.stack ? { err: error.message, stack: error.stack } : { err: error.message };
  return { err: String(error) };
}
