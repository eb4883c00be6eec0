/** The fixed identity of the stand-in workspace, app and bot user. */
export const TEAM_ID = 'T0001';
export const TEAM_DOMAIN = 'standin';
export const TEAM_NAME = 'Stand-in Workspace';
export const APP_ID = 'A0APP';
export const BOT_USER_ID = 'U0BOT';
export const BOT_ID = 'B0BOT';
export const BOT_USER_NAME = 'vps-bot';
/** The legacy verification token Slack still puts in every payload. */
export const VERIFICATION_TOKEN = 'standin-verification-token';
export const DEFAULT_USER = 'U0ALICE';
export const DEFAULT_CHANNEL = 'C0GENERAL';

/** 'U0ALICE' -> 'alice': readable names without a user directory. */
export function userName(userId: string): string {
  const name = userId.replace(/^[UW]0?/, '').toLowerCase();
  return name === '' ? userId.toLowerCase() : name;
}

export function isDm(channelId: string): boolean {
  return channelId.startsWith('D');
}

export function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

/** Slack names a slash command's DM channel 'directmessage'. */
export function channelName(channelId: string): string {
  if (isDm(channelId)) return 'directmessage';
  const name = channelId.replace(/^[CG]0?/, '').toLowerCase();
  return name === '' ? channelId.toLowerCase() : name;
}

/** The bot's own DM with a user, as conversations.open or posting to a user id would give it. */
export function dmWith(userId: string): string {
  return `D${userId.slice(1)}`;
}
