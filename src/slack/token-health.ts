import { webApi } from '@slack/bolt';
import type { Health } from '../health.js';
import type { Logger } from '../log.js';

/** Slack's answers that mean the bot token itself is no longer accepted. */
const TOKEN_REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

export const TOKEN_CONDITION = 'slack_token';

/**
 * Follows, from every Web API call's outcome, whether Slack still accepts the bot token: the
 * `slack_token` health condition, and one log line each time that changes (never one a call).
 */
export function slackTokenWatch(health: Health, logger: Logger): (method: string, error?: unknown) => void {
  return (method, error) => {
    const refused =
      error instanceof webApi.WebAPIPlatformError && TOKEN_REFUSED.has(error.data.error)
        ? error.data.error
        : undefined;
    if (refused) {
      const why = `Slack no longer accepts the bot token (${refused})`;
      if (health.fail(TOKEN_CONDITION, why)) {
        logger.error({ method }, `${why}: check SLACK_BOT_TOKEN and reinstall the app`);
      }
      return;
    }
    // Any answer from Slack other than a refusal (a success, or an error about the call itself)
    // means it took the token; a network failure says nothing either way.
    const answered = error === undefined || error instanceof webApi.WebAPIPlatformError;
    if (answered && health.pass(TOKEN_CONDITION))
      logger.info({ method }, 'Slack accepts the bot token again');
  };
}
