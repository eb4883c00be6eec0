import { type ApiResult, fail } from './types.js';

/** Web API methods that take the app-level token (`xapp-…`) instead of the bot token. */
export const APP_LEVEL_METHODS: ReadonlySet<string> = new Set(['apps.connections.open']);

/**
 * apps.connections.open: a one-use WebSocket URL for Socket Mode. Without a Socket Mode side no app
 * can connect, so the app-level token is refused (invalid_auth, which the client does not retry).
 */
export function connectionsOpen(issueUrl: (() => string) | undefined): ApiResult {
  if (issueUrl === undefined) return fail('invalid_auth');
  return { ok: true, url: issueUrl() };
}
