import { INPUT_LIMITS } from '../../input-limits.js';
import { truncate } from './kit.js';

/** Escapes the three characters mrkdwn treats as control: no API value can ping a channel or forge a link. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The person's own input as an answer repeats it: on one line, cut to `INPUT_LIMITS.echo` characters
 * with an ellipsis, so that an answer stays whole and within Slack's limits whatever was typed. Plain
 * text, for sentences escaped later (parse problems); `quoted` is the mrkdwn form.
 */
export function echoed(text: string): string {
  return truncate(text.replace(/\s+/g, ' ').replace(UNSHOWABLE, '\uFFFD'), INPUT_LIMITS.echo);
}

/**
 * Characters no answer repeats as typed: control characters (a NUL among them) and the bidirectional
 * overrides and isolates, which would turn the rest of the bot's own sentence around. Each shows as �.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The person's own input in an mrkdwn answer: shortened as `echoed`, escaped, as code. */
export function quoted(text: string): string {
  return `\`${escapeText(echoed(text))}\``;
}

const STATUS_EMOJI: Record<string, string> = {
  active: ':large_green_circle:',
  stopped: ':red_circle:',
  suspended: ':double_vertical_bar:',
  provisioning: ':hammer_and_wrench:',
  starting: ':hourglass_flowing_sand:',
  stopping: ':hourglass_flowing_sand:',
  rebooting: ':arrows_counterclockwise:',
};

/** `:large_green_circle: active`; an unknown status is shown as it is, escaped. */
export function statusText(status: string): string {
  const emoji = Object.hasOwn(STATUS_EMOJI, status) ? STATUS_EMOJI[status] : ':grey_question:';
  return `${emoji} ${escapeText(status)}`;
}

/** A user mention, only for what looks like a Slack user ID. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeText(userId);
}

/** Plan memory is in MB. */
export function megabytes(mb: number): string {
  return mb >= 1024 ? `${round(mb / 1024)} GB` : `${round(mb)} MB`;
}

/** Storage and bandwidth are in GB. */
export function gigabytes(gb: number): string {
  return gb >= 1024 ? `${round(gb / 1024)} TB` : `${round(gb)} GB`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** `1m 05s`, `2h 03m`, `12s`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** A time every reader sees in their own time zone, with the ISO text as fallback. */
export function when(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeText(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${escapeText(iso)}>`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
