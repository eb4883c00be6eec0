import { expect } from 'vitest';
import { limitViolations } from '../../src/slack/blocks/check.js';
import { mrkdwnTexts } from '../unit/helpers.js';

/**
 * The bot's own mrkdwn tokens: a date every reader sees in their time zone, and a mention of a Slack
 * user ID the bot got from Slack (the person who acted), never from VPS.org.
 */
const OWN_TOKENS = [/<!date\^-?\d+\^\{date_short_pretty\} \{time\}\|[^<>]*>/g, /<@[UW][A-Z0-9]+>/g];

/**
 * Within every limit Slack enforces, and no text from VPS.org or a person that Slack would read as a
 * mention, a channel link or a link: after the bot's own tokens, no `<` at all is left (so no `<!`,
 * `<@`, `<#`, `<http`, `<mailto`).
 */
export function expectSlackSafe(surface: object): void {
  expect(limitViolations(surface)).toEqual([]);
  for (const text of mrkdwnTexts(surface)) {
    let rest = text;
    for (const token of OWN_TOKENS) rest = rest.replace(token, '');
    expect(rest, `in: ${text.slice(0, 300)}`).not.toContain('<');
  }
}
