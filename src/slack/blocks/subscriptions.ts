import type { Subscription } from '../../records.js';
import type { Target } from '../../service/subscriptions.js';
import { escapeText, mention, when } from './text.js';

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
