import type { Environment } from '../config.js';

/** The bot token `.env.example` ships with: a copied but unfilled .env is no Slack setting at all. */
export const PLACEHOLDER_BOT_TOKEN = 'xoxb-your-bot-token';

/** The argument `npm run playground` passes. */
export const PLAYGROUND_FLAG = '--playground';

export type StartMode = 'bot' | 'playground';

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/**
 * Bot or playground. The playground when asked for, or when no Slack setting is given (the bot token
 * unset or still the placeholder, and no app token) outside production: a production bot with
 * missing settings must fail with the settings error, never fall into a pretend workspace.
 */
export function startMode(env: Environment, argv: readonly string[]): StartMode {
  if (argv.includes(PLAYGROUND_FLAG)) return 'playground';
  if (env.NODE_ENV === 'production') return 'bot';
  const botToken = env.SLACK_BOT_TOKEN;
  const noBotToken = blank(botToken) || botToken?.trim() === PLACEHOLDER_BOT_TOKEN;
  return noBotToken && blank(env.SLACK_APP_TOKEN) ? 'playground' : 'bot';
}
