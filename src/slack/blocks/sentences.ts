import type { ChangeAction, ChangeRequest, TrackedChange } from '../../records.js';
import { CONFIRMATION_TTL_MS } from '../../service/confirmations.js';
import { StoreUnavailableError } from '../../store/errors.js';
import { VpsError } from '../../vps/errors.js';
import { duration, echoed, escapeText, mention, plural } from './text.js';

const VERB: Record<ChangeAction, string> = {
  start: 'start',
  stop: 'stop',
  reboot: 'reboot',
  delete: 'delete',
  rename: 'rename',
  hostname: 'change the hostname of',
  backups: 'change backups of',
  edit: 'edit',
  create: 'create',
};

const GERUND: Record<ChangeAction, string> = {
  start: 'starting',
  stop: 'stopping',
  reboot: 'rebooting',
  delete: 'deleting',
  rename: 'renaming',
  hostname: 'changing the hostname',
  backups: 'changing backups',
  edit: 'editing',
  create: 'creating',
};

/** `@alice stopped *web-server-01*`, for the channel. */
export function pastTense(request: ChangeRequest, serverName: string, actorId: string): string {
  const who = mention(actorId);
  const name = `*${escapeText(serverName)}*`;
  switch (request.action) {
    case 'start':
      return `${who} started ${name}`;
    case 'stop':
      return `${who} stopped ${name}`;
    case 'reboot':
      return `${who} rebooted ${name}`;
    case 'delete':
      return `${who} deleted ${name}`;
    case 'rename':
      return `${who} renamed ${name} to *${escapeText(request.name)}*`;
    case 'hostname':
      return `${who} set the hostname of ${name} to \`${escapeText(request.hostname)}\``;
    case 'backups':
      return `${who} turned backups ${request.enabled ? 'on' : 'off'} for ${name}`;
    case 'edit':
      return `${who} edited ${name}`;
    case 'create':
      return `${who} created ${name}`;
  }
}

/** The question a confirmation asks. */
export function question(request: ChangeRequest, serverName: string): string {
  const name = `*${escapeText(serverName)}*`;
  switch (request.action) {
    case 'stop':
      return `Stop ${name}? It shuts down gracefully and stays off until someone starts it.`;
    case 'reboot':
      return `Reboot ${name}? It restarts gracefully; services on it are briefly down.`;
    case 'delete':
      return `Delete ${name}? This cannot be undone.`;
    case 'backups':
      return `Turn automatic backups off for ${name}? Existing backups are not deleted, but no new ones are made.`;
    default:
      return `${VERB[request.action][0]?.toUpperCase()}${VERB[request.action].slice(1)} ${name}?`;
  }
}

/** One clear sentence for every failure: never a stack trace, a raw body or a token. */
export function errorSentence(error: unknown, action?: ChangeAction, serverName?: string): string {
  if (error instanceof StoreUnavailableError) return STORE_UNAVAILABLE;
  if (!(error instanceof VpsError)) {
    return 'Something went wrong inside vps-bot; nothing more was done. The details are in its log.';
  }
  // The server as the person named it: their own input, so shortened.
  const named = serverName === undefined ? undefined : escapeText(echoed(serverName));
  const target = named ? ` ${named}` : '';
  const check = named ? ` Check with \`/vps show ${named}\`.` : ' Check with `/vps list`.';
  if (error.outcomeUnknown) {
    const what = action ? `The ${VERB[action]}${target}` : 'The change';
    return `VPS.org did not answer in time. ${what} may or may not have happened.${check}`;
  }
  switch (error.kind) {
    case 'unauthorized':
      return 'VPS.org rejected the bot’s API token; nothing changed. An admin needs to check VPS_API_TOKEN.';
    case 'payment_required':
      return 'VPS.org refused: the account balance is too low (402). Top up the account, then try again.';
    case 'not_found':
      return named ? `No such server: ${named}. It may have been deleted.` : 'No such server.';
    case 'invalid':
      if (error.field) return `${escapeText(error.message)} Nothing was changed.`;
      return `VPS.org refused: ${escapeText((error.detail ?? 'the request is not valid').replace(/\.$/, ''))}. Nothing was changed.`;
    case 'rate_limited':
      return 'VPS.org is rate limiting the bot; nothing changed. Try again in a minute.';
    case 'timeout':
      if (!error.sent) {
        return 'VPS.org is slow to answer the bot’s other requests, so this one was not sent. Nothing changed; try again in a moment.';
      }
      return 'VPS.org is slow: it did not answer in time. Nothing changed; try again shortly.';
    case 'unavailable':
      return 'VPS.org is down or unreachable right now. Nothing changed; try again shortly.';
    case 'bad_response':
      return action
        ? `VPS.org sent an answer the bot could not read. The ${VERB[action]}${target} may or may not have happened.${check}`
        : 'VPS.org sent an answer the bot could not read. Try again shortly.';
  }
}

export function busySentence(change: TrackedChange, at: number): string {
  return `*${escapeText(change.serverName)}* is busy: ${GERUND[change.action]} (status ${escapeText(change.status)}), started by ${mention(change.actor.userId)} ${duration(at - change.startedAt)} ago. Wait for it to settle, then try again.`;
}

/** Redis (or whatever holds the shared state) is out of reach: nothing that needs it was done. */
export const STORE_UNAVAILABLE =
  "The bot's state store is unavailable; nothing was changed. Try again in a moment.";

export const FORBIDDEN =
  'Only operators may change servers, and you are not one. You can still look: `/vps list`, `/vps show <server>`. Ask an admin to add you to VPS_OPERATORS.';

/** A button whose value the bot cannot read: tampered, or from a message the bot no longer understands. */
export const STALE_BUTTON =
  'This button is no longer valid. Nothing was done; run the command again, e.g. `/vps list`.';

/** How long a confirmation lasts, in words: `10 minutes`. */
export const CONFIRMATION_LIFETIME = plural(Math.round(CONFIRMATION_TTL_MS / 60_000), 'minute');
