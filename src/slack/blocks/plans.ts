import type { Approval, Schedule, Timing } from '../../pending-records.js';
import type { ChangeRequest } from '../../records.js';
import type { SkipReason } from '../../service/planned.js';
import { formatDuration, timeInWords } from '../../service/when.js';
import { ACTION } from '../ids.js';
import { type Button, context, type KnownBlock, label, type SlackMessage, section, truncate } from './kit.js';
import { commandFor } from './outcomes.js';
import { errorSentence } from './sentences.js';
import { duration, escapeText, mention } from './text.js';

/**
 * Approvals and schedules as Slack shows them. Every time is said twice: in words in the zone it was
 * asked in, and as a Slack date token each reader sees in their own zone.
 */

/** `<!date^…^{date_long_pretty} at {time}|…>`: each reader sees it in their own time zone. */
export function dateToken(at: number): string {
  const iso = new Date(at).toISOString();
  return `<!date^${Math.floor(at / 1000)}^{date_long_pretty} at {time}|${iso}>`;
}

/** `18:00 CET, Monday 30 November 2026 (Europe/Berlin); for you: <date token>`. */
export function timeBoth(at: number, zone: string): string {
  return `${escapeText(timeInWords(at, zone))}; for you: ${dateToken(at)}`;
}

const ACTION_WORD: Record<string, string> = { start: 'Start', stop: 'Stop', reboot: 'Reboot' };

/** What a scheduled change will do, in words, for a confirmation or an approval request. */
export function scheduleText(
  request: ChangeRequest,
  serverName: string,
  timing: Timing,
  now: number,
): string {
  const name = `*${escapeText(serverName)}*`;
  const verb = ACTION_WORD[request.action] ?? request.action;
  if (timing.kind === 'for') {
    return `Stop ${name} now and start it again after ${formatDuration(timing.durationMs)}, around ${timeBoth(now + timing.durationMs, timing.zone)}`;
  }
  return `${verb} ${name} at ${timeBoth(timing.at, timing.zone)} (in ${duration(timing.at - now)})`;
}

/** The request a second operator answers, in the channel: who, what, which server, with what. */
export function approvalMessage(approval: Approval, now: number): SlackMessage {
  const { request, requester, timing, decision } = approval;
  const serverName = approval.server?.name ?? (request.action === 'create' ? request.input.name : '');
  const what = timing
    ? scheduleText(request, serverName, timing, now)
    : `${request.action} *${escapeText(serverName)}*`;
  const params = paramsLine(request);
  const headline = `:raised_hand: ${mention(requester.userId)} asks for a second operator’s approval: ${what}`;
  const blocks: KnownBlock[] = [section(headline)];
  if (params) blocks.push(context(params));
  if (decision) {
    const verdict =
      decision.verdict === 'approved' ? ':white_check_mark: Approved' : ':no_entry_sign: Rejected';
    blocks.push(context(`${verdict} by ${mention(decision.by)} ${dateToken(decision.at)}`));
  } else if (now >= approval.expiresAt) {
    blocks.push(
      context(
        `:hourglass: Expired ${dateToken(approval.expiresAt)} unanswered. Nothing was sent to VPS.org.`,
      ),
    );
  } else {
    blocks.push(
      context(
        `Any operator but ${mention(requester.userId)} may answer, once, until ${dateToken(approval.expiresAt)} (in ${duration(approval.expiresAt - now)}). Nothing reaches VPS.org before that.`,
      ),
      {
        type: 'actions',
        block_id: `approval.${approval.id.slice(0, 40)}`,
        elements: approvalButtons(approval),
      },
    );
  }
  return { text: headline.replace(/\*/g, ''), blocks };
}

export function approvalButtons(approval: Approval): Button[] {
  return [
    {
      type: 'button',
      text: { type: 'plain_text', text: 'Approve' },
      action_id: ACTION.approve,
      value: approval.id,
      style: 'primary',
    },
    {
      type: 'button',
      text: { type: 'plain_text', text: 'Reject' },
      action_id: ACTION.reject,
      value: approval.id,
      style: 'danger',
    },
  ];
}

function paramsLine(request: ChangeRequest): string | undefined {
  switch (request.action) {
    case 'rename':
      return `New name: *${escapeText(request.name)}*`;
    case 'hostname':
      return `New hostname: \`${escapeText(request.hostname)}\``;
    case 'backups':
      return `Backups: ${request.enabled ? 'on' : 'off'}`;
    case 'edit':
      return truncate(
        `Name *${escapeText(request.values.name)}* · hostname \`${escapeText(request.values.hostname)}\` · backups ${request.values.backups_enabled ? 'on' : 'off'}`,
        2000,
      );
    case 'create':
      return truncate(
        `Plan ${request.input.plan_id} · OS ${request.input.os_id} · location ${escapeText(request.input.location)}${request.input.hostname ? ` · hostname \`${escapeText(request.input.hostname)}\`` : ''}`,
        2000,
      );
    default:
      return undefined;
  }
}

/** One line about a schedule: what, which server, when, who. */
export function scheduleLine(schedule: Schedule, now: number): string {
  const what = schedule.restart ? 'start again' : schedule.action;
  const approved = schedule.approvedBy ? `, approved by ${mention(schedule.approvedBy)}` : '';
  return truncate(
    `*${what}* *${escapeText(schedule.serverName)}* ${dateToken(schedule.at)} (in ${duration(schedule.at - now)}) · by ${mention(schedule.by.userId)}${approved}`,
    LINE_MAX,
  );
}

const LINE_MAX = 400;
/** Rows of `/vps scheduled` with their Cancel button: well inside Slack's 50 blocks. */
export const SCHEDULED_ROWS = 40;

/** `/vps scheduled`: every pending schedule with a Cancel button; beyond 40, said, not cut silently. */
export function scheduledMessage(schedules: readonly Schedule[], now: number): SlackMessage {
  const title = `*Scheduled changes* · ${schedules.length} pending`;
  if (schedules.length === 0) {
    const text = `${title}\nNothing is scheduled. Schedule with \`/vps stop <server> at 18:00\`, \`in 30m\` or \`for 2h\`.`;
    return { text: 'Nothing is scheduled', blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [section(title)];
  for (const schedule of schedules.slice(0, SCHEDULED_ROWS)) {
    blocks.push({
      ...section(scheduleLine(schedule, now)),
      accessory: {
        type: 'button',
        text: { type: 'plain_text', text: label('Cancel') },
        action_id: ACTION.cancelSchedule,
        value: schedule.id,
      },
    });
  }
  const more = schedules.length - SCHEDULED_ROWS;
  blocks.push(
    context(
      `${more > 0 ? `…and ${more} more later, shown once the sooner ones are done or cancelled. ` : ''}The one who scheduled a change, or any operator, may cancel it.`,
    ),
  );
  return { text: `Scheduled changes: ${schedules.length} pending`, blocks };
}

/** In the channel, when a schedule did nothing at its time. */
export function skippedText(schedule: Schedule, why: SkipReason): string {
  const name = `*${escapeText(schedule.serverName)}*`;
  const head = `:alarm_clock: The ${schedule.restart ? 'restart' : schedule.action} of ${name} scheduled by ${mention(schedule.by.userId)} for ${dateToken(schedule.at)}`;
  switch (why.kind) {
    case 'gone':
      return `${head} did nothing: ${name} no longer exists.`;
    case 'nothing_to_do':
      return `${head} did nothing: ${name} ${escapeText(why.reason)}.`;
    case 'busy':
      return `${head} did nothing: ${name} was busy (${escapeText(why.change.action)} by ${mention(why.change.actor.userId)}). Run \`${commandFor({ action: schedule.action, serverId: schedule.serverId }, schedule.serverName)}\` if it is still wanted.`;
    case 'failed':
      return `${head} failed. ${errorSentence(why.error, schedule.action, schedule.serverName)}`;
  }
}

export function missedText(schedule: Schedule, lateMs: number, graceMs: number): string {
  return `:warning: The ${schedule.action} of *${escapeText(schedule.serverName)}* scheduled by ${mention(schedule.by.userId)} for ${dateToken(schedule.at)} was missed: the bot was not running then, and it is now ${duration(lateMs)} late, more than the ${duration(graceMs)} grace. Nothing was done; run \`${commandFor({ action: schedule.action, serverId: schedule.serverId }, schedule.serverName)}\` if it is still wanted.`;
}

export function interruptedText(schedule: Schedule): string {
  return `:warning: The bot stopped while carrying out the ${schedule.action} of *${escapeText(schedule.serverName)}* scheduled by ${mention(schedule.by.userId)} for ${dateToken(schedule.at)}. It may or may not have reached VPS.org, and it will not be tried again: check with \`/vps show ${escapeText(schedule.serverName)}\`.`;
}

export function cancelledText(schedule: Schedule, by: string): string {
  return `:x: ${mention(by)} cancelled the ${schedule.restart ? 'restart' : schedule.action} of *${escapeText(schedule.serverName)}* scheduled by ${mention(schedule.by.userId)} for ${dateToken(schedule.at)}.`;
}

/** The attribution a change card's headline carries: who approved it, when it was scheduled for. */
export function attributionText(
  attribution: { approvedBy?: string | undefined; scheduledFor?: number | undefined } = {},
): string {
  const parts: string[] = [];
  if (attribution.approvedBy) parts.push(`approved by ${mention(attribution.approvedBy)}`);
  if (attribution.scheduledFor !== undefined)
    parts.push(`as scheduled for ${dateToken(attribution.scheduledFor)}`);
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}
