import { randomBytes } from 'node:crypto';
import { APP_ID, BOT_USER_ID, TEAM_ID, VERIFICATION_TOKEN } from './workspace.js';

let delivered = 0;

/** Slack's event ids: `Ev` and an upper-case code, unique for this process. */
export function newEventId(): string {
  delivered += 1;
  return `Ev${delivered.toString(36).toUpperCase().padStart(6, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
}

/** The outer envelope Slack wraps every Events API event in, as it POSTs it to the app's request URL. */
export function eventCallback(
  event: Record<string, unknown>,
  eventId: string,
  nowMs: number = Date.now(),
): Record<string, unknown> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM_ID,
    context_team_id: TEAM_ID,
    context_enterprise_id: null,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(nowMs / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM_ID,
        user_id: BOT_USER_ID,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** Slack's handshake when a request URL is set: the app must answer with the challenge. */
export function urlVerification(challenge: string): Record<string, unknown> {
  return { token: VERIFICATION_TOKEN, challenge, type: 'url_verification' };
}
