import type { AuditEntry } from '../../records.js';
import { type SlackMessage, section, truncateMrkdwn } from './kit.js';
import { escapeText, mention, when } from './text.js';

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
  approval_requested: ':raised_hand: asked for approval',
  own_request: 'refused: approving one’s own request',
  already_decided: 'approval already decided',
  rejected: ':no_entry_sign: rejected',
  too_late: 'not done: approved after its time',
  confirmed_too_late: 'not done: confirmed after its time',
  gone: 'not done: the server was gone',
  scheduled: ':alarm_clock: scheduled',
  schedule_cancelled: 'schedule cancelled',
  missed: ':warning: missed (the bot was down)',
  interrupted: ':warning: interrupted (may have happened)',
};

/** How an audit entry ended, in words, with who approved it and the time it was scheduled for. */
export function outcomeLabel(entry: AuditEntry): string {
  const outcome = OUTCOME[entry.outcome] ?? `:x: failed (${escapeText(entry.outcome)})`;
  const approved = entry.approvedBy ? `, approved by ${mention(entry.approvedBy)}` : '';
  const scheduled = entry.scheduledFor ? ', on schedule' : '';
  return `${outcome}${approved}${scheduled}`;
}

const LINE_MAX = 280;
const LINES_PER_SECTION = 10;

/** `/vps history`: who did what, when, and how it ended, newest first. */
export function historyMessage(name: string, serverId: number, entries: AuditEntry[]): SlackMessage {
  const title = `*History of ${escapeText(name)}* (ID ${serverId}), newest first`;
  if (entries.length === 0) {
    const text = `${title}\nNothing recorded yet: no one has changed it through vps-bot.`;
    return { text, blocks: [section(text)] };
  }
  const lines = entries.map((entry) => {
    const params = Object.entries(entry.params)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const outcome = outcomeLabel(entry);
    return truncateMrkdwn(
      `• ${when(entry.time)} · ${mention(entry.user)} · *${escapeText(entry.action)}*${params ? ` \`${escapeText(params)}\`` : ''} · ${outcome}`,
      LINE_MAX,
    );
  });
  // Ten lines a section keep each within Slack's 3000 characters, however long the lines.
  const blocks = [];
  for (let start = 0; start < lines.length; start += LINES_PER_SECTION) {
    const chunk = lines.slice(start, start + LINES_PER_SECTION).join('\n');
    blocks.push(section(start === 0 ? `${title}\n${chunk}` : chunk));
  }
  return { text: `History of ${escapeText(name)}`, blocks };
}
