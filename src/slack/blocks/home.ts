import type { Approval, Schedule } from '../../pending-records.js';
import type { AuditEntry, TrackedChange } from '../../records.js';
import { isTransitional, type Server } from '../../vps/schemas.js';
import { ACTION } from '../ids.js';
import { serverLine } from './card.js';
import { outcomeLabel } from './history.js';
import { type Button, context, type KnownBlock, LIMITS, label, section, truncate } from './kit.js';
import { approvalButtons, dateToken, scheduleLine, scheduleText } from './plans.js';
import { duration, escapeText, mention, plural, statusText, when } from './text.js';

/** A Home tab: Slack allows 100 blocks; this one stays near 60 whatever the fleet's size. */
export interface HomeView {
  type: 'home';
  blocks: KnownBlock[];
}

export interface HomeData {
  userId: string;
  operator: boolean;
  /** VPS_OPERATORS unset: everyone may change servers. */
  everyone: boolean;
  /** The fleet; undefined when VPS.org could not be read (`fleetProblem` says why). */
  servers: readonly Server[] | undefined;
  fleetProblem?: string | undefined;
  /** Changes the bot follows through a transition. */
  following: readonly TrackedChange[];
  recent: readonly AuditEntry[];
  schedules: readonly Schedule[];
  /** Open approval requests this person may answer (not their own). */
  approvals: readonly Approval[];
  page: number;
  now: number;
  /** The state store could not be read: transitions, approvals, schedules and changes are not shown. */
  stateProblem?: string | undefined;
}

export const HOME_PAGE_SIZE = 15;
const TRANSITION_ROWS = 10;
const APPROVAL_ROWS = 3;
const SCHEDULE_ROWS = 8;
const RECENT_ROWS = 8;
const LOCATION_ROWS = 12;
const STATUS_ROWS = 12;
const LINE = 300;

export function homePageCount(servers: number): number {
  return Math.max(1, Math.ceil(servers / HOME_PAGE_SIZE));
}

/** Lines, and what was left out said in one more line: nothing is cut silently. */
function listed(lines: readonly string[], max: number, more: (left: number) => string): string {
  const shown = lines.slice(0, max);
  if (lines.length > max) shown.push(more(lines.length - max));
  return shown.join('\n');
}

function counted(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The largest groups, then what the rest come to: `… · and 3 more locations (40 servers)`. */
function largest(
  groups: [string, number][],
  max: number,
  [one, many]: [string, string],
  show: (group: string) => string,
) {
  const shown = groups
    .slice(0, max)
    .map(([group, count]) => `${show(group)} ${count}`)
    .join(' · ');
  const rest = groups.slice(max);
  const others = rest.length
    ? ` · and ${plural(rest.length, `more ${one}`, `more ${many}`)} (${plural(
        rest.reduce((sum, [, count]) => sum + count, 0),
        'server',
      )})`
    : '';
  return `${shown}${others}`;
}

function fleetSummary(servers: readonly Server[]): string {
  if (servers.length === 0) return '*Fleet*: no servers on this account yet.';
  // Statuses come from VPS.org: a few are known, but any number of others could come.
  const byStatus = largest(
    counted(servers.map((s) => s.status)),
    STATUS_ROWS,
    ['status', 'statuses'],
    (status) => statusText(truncate(status, 40)),
  );
  const byLocation = largest(
    counted(servers.map((s) => s.location)),
    LOCATION_ROWS,
    ['location', 'locations'],
    (location) => `\`${escapeText(truncate(location, 40))}\``,
  );
  return `*Fleet*: ${plural(servers.length, 'server')}\n*By status:* ${byStatus}\n*By location:* ${byLocation}`;
}

function transitions(data: HomeData): string[] {
  const followed = new Map(data.following.map((change) => [change.serverId, change]));
  const lines = data.following.map((change) =>
    truncate(
      `• *${escapeText(change.serverName)}* · ${escapeText(change.status)} for ${duration(data.now - change.startedAt)}, started by ${mention(change.actor.userId)}`,
      LINE,
    ),
  );
  for (const server of data.servers ?? []) {
    if (!isTransitional(server.status) || followed.has(server.id)) continue;
    const since = Date.parse(server.updated_at);
    const elapsed = Number.isNaN(since) ? '' : ` for ${duration(data.now - since)}`;
    lines.push(
      truncate(
        `• *${escapeText(server.name)}* · ${escapeText(server.status)}${elapsed} (not started from Slack)`,
        LINE,
      ),
    );
  }
  return lines;
}

function recentLine(entry: AuditEntry): string {
  const name = entry.serverName ?? (entry.serverId === undefined ? '' : String(entry.serverId));
  return truncate(
    `• ${when(entry.time)} · ${mention(entry.user)} · *${escapeText(entry.action)}* ${escapeText(name)} · ${outcomeLabel(entry)}`,
    LINE,
  );
}

/** A screen reader hears "Stop web-01", not one "Stop" after another down the list. */
function spoken(verb: string, server: Server): string {
  return label(`${verb} ${server.name}`, LIMITS.accessibilityLabel);
}

function serverBlocks(server: Server, data: HomeData, busy: ReadonlySet<number>): KnownBlock[] {
  const id = String(server.id);
  const blocks: KnownBlock[] = [
    {
      ...section(serverLine(server)),
      accessory: {
        type: 'button',
        text: { type: 'plain_text', text: 'Show' },
        action_id: `${ACTION.showPrefix}${id}`,
        value: id,
        accessibility_label: spoken('Show', server),
      },
    },
  ];
  if (!data.operator || busy.has(server.id) || isTransitional(server.status)) return blocks;
  const buttons: Button[] = [];
  const button = (text: string, actionId: string, style?: 'primary'): Button => ({
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: actionId,
    value: id,
    accessibility_label: spoken(text, server),
    ...(style ? { style } : {}),
  });
  if (server.status === 'stopped') buttons.push(button('Start', ACTION.start, 'primary'));
  if (server.status === 'active') buttons.push(button('Stop', ACTION.stop), button('Reboot', ACTION.reboot));
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: `home.server.${id}`, elements: buttons });
  return blocks;
}

/**
 * The App Home of one person: the fleet counted by status and location, what is in transition,
 * approvals waiting for them, what is scheduled, the last changes, and the servers a page at a time
 * with the cards' buttons. Within 100 blocks for any fleet: long parts are summarised and paged.
 */
export function homeView(data: HomeData): HomeView {
  const role = data.everyone
    ? 'Everyone may change servers here (VPS_OPERATORS is unset).'
    : data.operator
      ? 'You are an operator: you may change servers.'
      : 'You may look; changing servers is for operators.';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'VPS.org fleet' } },
    context(`${role} Updated ${dateToken(data.now)}.`),
  ];
  const servers = data.servers;
  blocks.push(
    section(
      servers
        ? fleetSummary(servers)
        : `*Fleet*: VPS.org could not be read just now. ${escapeText(data.fleetProblem ?? '')}`,
    ),
  );

  if (data.stateProblem !== undefined) {
    blocks.push(
      { type: 'divider' },
      section(
        `*In transition, approvals, schedules and last changes* cannot be shown just now: ${escapeText(data.stateProblem)}`,
      ),
    );
    return { type: 'home', blocks: [...blocks, ...serverPages(data)] };
  }

  const moving = transitions(data);
  blocks.push(
    { type: 'divider' },
    section(
      moving.length === 0
        ? '*In transition*: nothing.'
        : `*In transition* (${moving.length})\n${listed(moving, TRANSITION_ROWS, (left) => `…and ${left} more: \`/vps list\` shows them all.`)}`,
    ),
  );

  if (data.approvals.length > 0) {
    blocks.push({ type: 'divider' }, section(`*Waiting for your approval* (${data.approvals.length})`));
    for (const approval of data.approvals.slice(0, APPROVAL_ROWS)) {
      const name =
        approval.server?.name ?? (approval.request.action === 'create' ? approval.request.input.name : '');
      const what = approval.timing
        ? scheduleText(approval.request, name, approval.timing, data.now)
        : `${escapeText(approval.request.action)} *${escapeText(name)}*`;
      blocks.push(
        section(
          truncate(
            `${mention(approval.requester.userId)} asks: ${what}. Open until ${dateToken(approval.expiresAt)}.`,
            LINE * 2,
          ),
        ),
        {
          type: 'actions',
          block_id: `home.approval.${approval.id.slice(0, 40)}`,
          elements: approvalButtons(approval),
        },
      );
    }
    if (data.approvals.length > APPROVAL_ROWS) {
      blocks.push(
        context(
          `…and ${data.approvals.length - APPROVAL_ROWS} more, in the channels they were asked in; the oldest are shown first.`,
        ),
      );
    }
  }

  const scheduled = data.schedules.map((schedule) => `• ${scheduleLine(schedule, data.now)}`);
  blocks.push(
    { type: 'divider' },
    section(
      scheduled.length === 0
        ? '*Scheduled*: nothing.'
        : `*Scheduled* (${scheduled.length})\n${listed(scheduled, SCHEDULE_ROWS, (left) => `…and ${left} more later.`)}\n\`/vps scheduled\` lists them all, with Cancel buttons.`,
    ),
  );

  const recent = data.recent.slice(0, RECENT_ROWS).map(recentLine);
  blocks.push(
    { type: 'divider' },
    section(recent.length === 0 ? '*Last changes*: none yet.' : `*Last changes*\n${recent.join('\n')}`),
  );

  blocks.push(...serverPages(data));
  return { type: 'home', blocks };
}

/** The servers a page at a time, with the cards' buttons and Previous / Next. */
function serverPages(data: HomeData): KnownBlock[] {
  const servers = data.servers;
  const blocks: KnownBlock[] = [];
  if (servers && servers.length > 0) {
    const pages = homePageCount(servers.length);
    const page = Math.min(Math.max(1, data.page), pages);
    const sorted = [...servers].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
    const rows = sorted.slice((page - 1) * HOME_PAGE_SIZE, page * HOME_PAGE_SIZE);
    const busy = new Set(data.following.map((change) => change.serverId));
    blocks.push(
      { type: 'divider' },
      section(`*Servers*${pages > 1 ? ` · page ${page} of ${pages}, ${HOME_PAGE_SIZE} a page` : ''}`),
    );
    for (const server of rows) blocks.push(...serverBlocks(server, data, busy));
    const nav: Button[] = [];
    if (page > 1) {
      nav.push({
        type: 'button',
        text: { type: 'plain_text', text: '◀ Previous' },
        action_id: ACTION.homePrevious,
        value: String(page - 1),
      });
    }
    if (page < pages) {
      nav.push({
        type: 'button',
        text: { type: 'plain_text', text: 'Next ▶' },
        action_id: ACTION.homeNext,
        value: String(page + 1),
      });
    }
    if (nav.length > 0) blocks.push({ type: 'actions', block_id: 'home.nav', elements: nav });
  }
  return blocks;
}
