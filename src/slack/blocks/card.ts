import type { Plan, Server } from '../../vps/schemas.js';
import { isTransitional } from '../../vps/schemas.js';
import { ACTION } from '../ids.js';
import { type Button, context, type KnownBlock, LIMITS, label, section, truncateMrkdwn } from './kit.js';
import { duration, escapeText, gigabytes, megabytes, mention, statusText, when } from './text.js';

/** A change in progress on the server, shown on its card instead of conflicting buttons. */
export interface UnderWay {
  status: string;
  userId: string;
  /** Shown for long transitions (provisioning). */
  elapsedMs?: number | undefined;
}

export interface CardOptions {
  underWay?: UnderWay | undefined;
  /** Ephemeral lookups offer to post the card in the channel. */
  shareable?: boolean;
  /** Cards of a deleted server, or notices, show no buttons. */
  buttons?: boolean;
}

export function planText(plan: Plan): string {
  const parts = [
    `${plan.vcpus} vCPU`,
    `${megabytes(plan.memory)} RAM`,
    `${gigabytes(plan.storage)} disk`,
    ...(plan.bandwidth === undefined ? [] : [`${gigabytes(plan.bandwidth)} bandwidth`]),
  ];
  return `${escapeText(plan.name)} (${parts.join(' · ')})`;
}

function field(name: string, value: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncateMrkdwn(`*${name}*\n${value}`, LIMITS.fieldText) };
}

function orDash(value: string | null | undefined): string {
  return value ? escapeText(value) : '—';
}

function usageFields(server: Server): { type: 'mrkdwn'; text: string }[] {
  const usage = server.resource_usage;
  if (!usage) return [];
  const of = (used: string, total: string | undefined) => (total ? `${used} of ${total}` : used);
  return [
    field('CPU', `${usage.cpu_percent}%`),
    field('Memory', of(megabytes(usage.memory_used), megabytes(server.plan.memory))),
    field('Disk', of(gigabytes(usage.disk_used), gigabytes(server.plan.storage))),
    field(
      'Bandwidth',
      of(
        gigabytes(usage.bandwidth_used),
        server.plan.bandwidth === undefined ? undefined : gigabytes(server.plan.bandwidth),
      ),
    ),
  ];
}

export function underWayText(underWay: UnderWay): string {
  const elapsed = underWay.elapsedMs === undefined ? '' : ` for ${duration(underWay.elapsedMs)}`;
  return `:hourglass_flowing_sand: ${escapeText(underWay.status)}${elapsed}, started by ${mention(underWay.userId)}`;
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label(text), emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** The buttons that fit the server's status: no power buttons while anything is in transition. */
export function cardButtons(server: Server, options: CardOptions = {}): Button[] {
  const id = String(server.id);
  const busy = options.underWay !== undefined || isTransitional(server.status);
  const power: Button[] = [];
  if (!busy && server.status === 'stopped') power.push(button('Start', ACTION.start, id, 'primary'));
  if (!busy && server.status === 'active') {
    power.push(button('Stop', ACTION.stop, id), button('Reboot', ACTION.reboot, id));
  }
  return [
    ...power,
    button('Refresh', ACTION.refresh, id),
    button('Edit', ACTION.edit, id),
    button('Delete…', ACTION.delete, id, 'danger'),
    ...(options.shareable ? [button('Share in channel', ACTION.share, `server:${id}`)] : []),
  ];
}

/** A server card: every detail VPS.org gave, escaped, with the buttons that fit. */
export function serverCard(server: Server, options: CardOptions = {}): KnownBlock[] {
  const title = `*${escapeText(server.name)}*  ·  ${statusText(server.status)}`;
  // The list view lacks IPv6 and backups: leave out what is unknown, show — for what is empty.
  const details = [
    field('Hostname', orDash(server.hostname)),
    field('IPv4', orDash(server.ip_address)),
    ...(server.ipv6_address === undefined ? [] : [field('IPv6', orDash(server.ipv6_address))]),
    field('Location', escapeText(server.location)),
    field('Plan', planText(server.plan)),
    field('OS', escapeText(server.os.name)),
    ...(server.backups_enabled === undefined
      ? []
      : [field('Backups', server.backups_enabled ? 'on' : 'off')]),
    field('ID', String(server.id)),
  ];
  const blocks: KnownBlock[] = [section(title, details)];
  const usage = usageFields(server);
  if (usage.length > 0) {
    blocks.push(section('*Resource usage*', usage));
  }
  blocks.push(context(`Created ${when(server.created_at)} · Updated ${when(server.updated_at)}`));
  if (options.underWay) {
    blocks.push(context(underWayText(options.underWay)));
  }
  if (options.buttons !== false) {
    blocks.push({ type: 'actions', block_id: `card.${server.id}`, elements: cardButtons(server, options) });
  }
  return blocks;
}

/** One line about a server, for lists and notices. */
export function serverLine(server: Server): string {
  const where = [server.hostname, server.ip_address, server.location]
    .filter(Boolean)
    .map((v) => escapeText(String(v)));
  return `*${escapeText(server.name)}*  ·  ${statusText(server.status)}\n${[...where, escapeText(server.plan.name)].join(' · ')}`;
}
