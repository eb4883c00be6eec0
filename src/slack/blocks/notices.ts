import type { Target } from '../../service/subscriptions.js';
import type { AuditEntry, FleetNotice, Subscription } from '../../service/types.js';
import { ACTION } from '../ids.js';
import type { Button, KnownBlock, SlackMessage } from './kit.js';
import { duration, escapeText, mention, plural, statusText, truncate, when } from './text.js';

const DOWN = new Set(['stopped', 'suspended']);

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function headline(notice: FleetNotice): string {
  const name = `*${escapeText(notice.name)}*`;
  switch (notice.kind) {
    case 'appeared':
      return `:new: ${name} appeared: ${statusText(notice.status)}`;
    case 'disappeared':
      return `:wastebasket: ${name} disappeared (it was ${escapeText(notice.status)})`;
    case 'status':
      return `${name}: ${statusText(notice.from)} → ${statusText(notice.to)}`;
    case 'flapping':
      return notice.steady
        ? `:white_check_mark: ${name} is steady again: ${statusText(notice.status)}, after ${plural(notice.changes, 'status change')} in ${duration(notice.at - notice.since)}`
        : `:warning: ${name} is flapping: ${plural(notice.changes, 'status change')} since ${when(iso(notice.since))}, now ${statusText(notice.status)}. This message updates in place instead of a stream.`;
  }
}

/** A status notification: server, old → new status, when, and the buttons that fit. */
export function noticeMessage(notice: FleetNotice): SlackMessage {
  const text = headline(notice);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${when(iso(notice.at))} · seen by the fleet watch, not a change made with vps-bot`,
        },
      ],
    },
  ];
  const id = String(notice.serverId);
  const buttons: Button[] = [];
  if (notice.kind !== 'disappeared') {
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Show' },
      action_id: `${ACTION.showPrefix}${id}`,
      value: id,
    });
  }
  const now =
    notice.kind === 'status' ? notice.to : notice.kind === 'disappeared' ? undefined : notice.status;
  if (now !== undefined && DOWN.has(now) && notice.kind !== 'flapping') {
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Start' },
      action_id: ACTION.start,
      value: id,
      style: 'primary',
    });
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: `notice.${id}`, elements: buttons });
  return { text: text.replace(/\*/g, ''), blocks };
}

function targetText(target: Target): string {
  return target.serverId === 'all' ? 'all servers' : `*${escapeText(target.name)}*`;
}

export function subscriptionText(
  kind: 'subscribed' | 'already' | 'unsubscribed' | 'not_subscribed',
  target: Target,
  userId: string,
): string {
  switch (kind) {
    case 'subscribed':
      return `:bell: ${mention(userId)} subscribed this channel to status notifications about ${targetText(target)}.`;
    case 'already':
      return `This channel already gets status notifications about ${targetText(target)}.`;
    case 'unsubscribed':
      return `:no_bell: ${mention(userId)} unsubscribed this channel from status notifications about ${targetText(target)}.`;
    case 'not_subscribed':
      return `This channel is not subscribed to ${targetText(target)}; nothing changed. \`/vps subscriptions\` shows what it is subscribed to.`;
  }
}

export function subscriptionsText(subscriptions: Subscription[], notifyChannel: boolean): string {
  const lines = subscriptions.map(
    (s) =>
      `• ${s.serverId === 'all' ? 'all servers' : `*${escapeText(s.serverName ?? String(s.serverId))}* (ID ${s.serverId})`}, since ${when(s.at)} by ${mention(s.by)}`,
  );
  if (notifyChannel) lines.unshift('• all servers, as the VPS_NOTIFY_CHANNEL');
  if (lines.length === 0) return 'This channel gets no status notifications. `/vps subscribe` changes that.';
  return `This channel gets status notifications about:\n${lines.join('\n')}`;
}

const OUTCOME: Record<string, string> = {
  ok: ':white_check_mark: done',
  forbidden: ':no_entry: refused (not an operator)',
  confirmation_requested: ':grey_question: asked to confirm',
  cancelled: 'cancelled',
  expired: 'confirmation expired',
  already_used: 'confirmation already used',
  wrong_user: 'someone else’s confirmation',
  changed_meanwhile: 'not done: the server had changed',
  nothing_to_do: 'nothing to do',
  busy: 'refused: another change was running',
  outcome_unknown: ':warning: no answer in time (may have happened)',
};

/** `/vps history`: who did what, when, and how it ended, newest first. */
export function historyMessage(name: string, serverId: number, entries: AuditEntry[]): SlackMessage {
  const title = `*History of ${escapeText(name)}* (ID ${serverId}), newest first`;
  if (entries.length === 0) {
    const text = `${title}\nNothing recorded yet: no one has changed it through vps-bot.`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const lines = entries.map((entry) => {
    const params = Object.entries(entry.params)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const outcome = OUTCOME[entry.outcome] ?? `:x: failed (${entry.outcome})`;
    return truncate(
      `• ${when(entry.time)} · ${mention(entry.user)} · *${entry.action}*${params ? ` \`${escapeText(params)}\`` : ''} · ${outcome}`,
      140,
    );
  });
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`${title}\n${lines.join('\n')}`, 3000) } },
  ];
  return { text: `History of ${escapeText(name)}`, blocks };
}
