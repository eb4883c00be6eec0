import type { FleetNotice } from '../../records.js';
import { ACTION } from '../ids.js';
import { type Button, context, type KnownBlock, type SlackMessage, section } from './kit.js';
import { duration, escapeText, plural, statusText, when } from './text.js';

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
    section(text),
    context(`${when(iso(notice.at))} · seen by the fleet watch, not a change made with vps-bot`),
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
