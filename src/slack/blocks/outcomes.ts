import type { ChangeRequest, Confirmation } from '../../records.js';
import type { ConfirmOutcome, RequestOutcome } from '../../service/service.js';
import type { Server } from '../../vps/schemas.js';
import { truncateMrkdwn } from './kit.js';
import { timeBoth } from './plans.js';
import { busySentence, CONFIRMATION_LIFETIME, FORBIDDEN } from './sentences.js';
import { duration, escapeText, mention, plural, quoted } from './text.js';

/** The command that asks for the same change again, for "run it again" hints. */
export function commandFor(request: ChangeRequest, serverName: string): string {
  const name = escapeText(serverName);
  switch (request.action) {
    case 'rename':
      return `/vps rename ${name} ${escapeText(request.name)}`;
    case 'hostname':
      return `/vps hostname ${name} ${escapeText(request.hostname)}`;
    case 'backups':
      return `/vps backups ${name} ${request.enabled ? 'on' : 'off'}`;
    case 'create':
      return '/vps create';
    default:
      return `/vps ${request.action} ${name}`;
  }
}

function nameOf(confirmation: Confirmation): string {
  const { request, server } = confirmation;
  return server?.name ?? (request.action === 'create' ? request.input.name : '');
}

export function ambiguousText(ref: string, matches: readonly Server[]): string {
  const lines = matches
    .slice(0, 10)
    .map((server) =>
      truncateMrkdwn(
        `• *${escapeText(server.name)}*: ID \`${server.id}\`, ${escapeText(server.hostname ?? '—')}, ${escapeText(server.location)}`,
        200,
      ),
    );
  const more = matches.length > 10 ? `\n…and ${matches.length - 10} more.` : '';
  return `${plural(matches.length, 'server')} match ${quoted(ref)}:\n${lines.join('\n')}${more}\nUse the ID, e.g. \`/vps show ${matches[0]?.id ?? ''}\`.`;
}

export function missingText(ref: string, suggestions: readonly string[]): string {
  const hint =
    suggestions.length > 0
      ? ` Did you mean ${suggestions.map((name) => `*${escapeText(name)}*`).join(', ')}?`
      : ' `/vps list` shows them all.';
  return `No server matches ${quoted(ref)} (by ID, name or hostname).${hint}`;
}

/**
 * What the person sees when a change request does not go straight through. `undefined` for `done`
 * (the channel card tells it) and `confirm` (the prompt is built by the caller).
 */
export function requestOutcomeText(outcome: RequestOutcome, at: number): string | undefined {
  switch (outcome.kind) {
    case 'forbidden':
      return FORBIDDEN;
    case 'ambiguous':
      return ambiguousText(outcome.ref, outcome.matches);
    case 'missing':
      return missingText(outcome.ref, outcome.suggestions);
    case 'nothing_to_do':
      return `*${escapeText(outcome.server.name)}* ${escapeText(outcome.reason)}: nothing to do.`;
    case 'busy':
      return busySentence(outcome.change, at);
    case 'bad_time':
      return `${escapeText(outcome.problem)} Nothing was scheduled.`;
    case 'approval': {
      const { approval } = outcome;
      const within = duration(approval.expiresAt - approval.createdAt);
      const where = outcome.posted
        ? 'The request is in the channel'
        : 'The bot could not post the request in this channel; operators see it in the bot’s Home tab';
      return `:raised_hand: This needs a second operator. ${where}: any operator but you may approve or reject it within ${within}. Nothing was sent to VPS.org yet.`;
    }
    case 'scheduled': {
      const { schedule, change } = outcome;
      const name = `*${escapeText(schedule.serverName)}*`;
      const when = timeBoth(schedule.at, schedule.zone);
      const list = '`/vps scheduled` lists it, with a Cancel button.';
      if (change)
        return `:alarm_clock: ${name} is stopping now, and will be started again at ${when}. ${list}`;
      return `:alarm_clock: Scheduled: ${schedule.action} ${name} at ${when}. ${list}`;
    }
    default:
      return undefined;
  }
}

/** What the person sees after pressing Confirm or Cancel. */
export function confirmOutcomeText(outcome: ConfirmOutcome, at: number): string {
  switch (outcome.kind) {
    case 'unknown':
      return 'The bot does not know this confirmation. Nothing was sent to VPS.org; run the command again.';
    case 'used':
      return 'This was already answered. Nothing was sent to VPS.org a second time.';
    case 'expired':
      return `This confirmation expired (they last ${CONFIRMATION_LIFETIME}). Nothing was sent to VPS.org; run \`${commandFor(outcome.confirmation.request, nameOf(outcome.confirmation))}\` again.`;
    case 'wrong_user':
      return `Only ${mention(outcome.confirmation.userId)}, who asked, can answer this. Nothing was sent to VPS.org.`;
    case 'gone':
      return `*${escapeText(nameOf(outcome.confirmation))}* no longer exists. Nothing was sent to VPS.org.`;
    case 'name_mismatch':
      return `That is not the server's name: type *${escapeText(nameOf(outcome.confirmation))}* exactly. Nothing was deleted.`;
    case 'changed':
      return `*${escapeText(nameOf(outcome.confirmation))}* changed since you asked: ${outcome.changes.map(escapeText).join('; ')}. Nothing was sent to VPS.org; run \`${commandFor(outcome.confirmation.request, outcome.server.name)}\` again if you still want it.`;
    case 'done': {
      const { request, after, before } = outcome.change;
      const name = escapeText(before?.name ?? after?.name ?? '');
      const status = after ? ` It is ${escapeText(after.status)} now.` : '';
      const unannounced = outcome.change.announced
        ? ''
        : ' The bot could not post its card in the channel, so check on it with `/vps show`.';
      return `:white_check_mark: Done: ${request.action} *${name}*.${status}${unannounced}`;
    }
    case 'confirm':
      return 'This needs another confirmation.';
    default:
      return requestOutcomeText(outcome, at) ?? '';
  }
}

export function parseProblemText(problem: string, usage?: string, suggestion?: string): string {
  const parts = [escapeText(problem)];
  if (suggestion) parts.push(`Did you mean \`/vps ${escapeText(suggestion)}\`?`);
  if (usage) parts.push(`Usage: \`${escapeText(usage)}\``);
  parts.push('`/vps help` lists every command.');
  return parts.join('\n');
}
