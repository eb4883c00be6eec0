import { DateTime, IANAZone } from 'luxon';
import type { Timing } from '../pending-records.js';

/**
 * When a scheduled change is to happen, as typed: `at 18:00`, `at 2026-12-01 07:00`, `in 30m`,
 * `for 2h`. Wall-clock times are read in the person's time zone; luxon does the zone arithmetic
 * (DST gaps and overlaps included), which Node's Intl alone cannot do without hand-written care.
 */
export type When =
  | { kind: 'at'; date?: { year: number; month: number; day: number }; hour: number; minute: number }
  | { kind: 'in' | 'for'; ms: number };

export type WhenParse = { ok: true; when: When } | { ok: false; problem: string };
export type WhenResolve = { ok: true; timing: Timing } | { ok: false; problem: string };

/** How far ahead a change may be scheduled. */
export const MAX_AHEAD_MS = 366 * 24 * 60 * 60_000;

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
const DURATION = /^(?:\d+[dhms])+$/;
const TIME = /^(\d{1,2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const WHEN_USAGE = 'at HH:MM, at YYYY-MM-DD HH:MM, in <duration> (e.g. 30m, 2h, 1h30m)';

/** `30m`, `2h`, `1h30m`, `90s`, `1d`: milliseconds, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (!DURATION.test(lower)) return undefined;
  let ms = 0;
  for (const [, count, unit] of lower.matchAll(/(\d+)([dhms])/g))
    ms += Number(count) * (UNIT_MS[unit ?? ''] ?? 0);
  return ms;
}

/**
 * The words after the server: `at …`, `in …` or `for …`. A problem repeats what was typed through
 * `shown` (the Slack side shortens it, so an answer stays short whatever was typed).
 */
export function parseWhen(words: readonly string[], shown: (typed: string) => string = (t) => t): WhenParse {
  const [keyword, ...rest] = words;
  const kind = keyword?.toLowerCase();
  if (kind === 'in' || kind === 'for') {
    const [amount, ...extra] = rest;
    if (amount === undefined)
      return { ok: false, problem: `\`${kind}\` needs a duration, e.g. \`${kind} 30m\` or \`${kind} 2h\`.` };
    if (extra.length > 0)
      return { ok: false, problem: `\`${kind}\` takes one duration such as \`1h30m\`, without spaces.` };
    const ms = parseDuration(amount);
    if (ms === undefined) {
      return {
        ok: false,
        problem: `\`${shown(amount)}\` is not a duration: use minutes, hours or days, e.g. \`30m\`, \`2h\`, \`1h30m\`, \`1d\`.`,
      };
    }
    if (ms <= 0)
      return {
        ok: false,
        problem: `\`${kind} ${shown(amount)}\` is no time at all: give a duration of a second or more.`,
      };
    if (ms > MAX_AHEAD_MS)
      return { ok: false, problem: `\`${shown(amount)}\` is too far ahead: at most 366 days.` };
    return { ok: true, when: { kind, ms } };
  }
  if (kind === 'at') {
    if (rest.length === 0 || rest.length > 2) {
      return {
        ok: false,
        problem: '`at` takes a time (`at 18:00`) or a date and a time (`at 2026-12-01 07:00`).',
      };
    }
    const [first, second] = rest as [string, string | undefined];
    const timeText = second ?? first;
    const time = TIME.exec(timeText);
    const hour = Number(time?.[1]);
    const minute = Number(time?.[2]);
    if (!time || hour > 23 || minute > 59) {
      return {
        ok: false,
        problem: `\`${shown(timeText)}\` is not a time of day: use HH:MM on a 24-hour clock, from 00:00 to 23:59.`,
      };
    }
    if (second === undefined) return { ok: true, when: { kind: 'at', hour, minute } };
    const date = DATE.exec(first);
    const year = Number(date?.[1]);
    const month = Number(date?.[2]);
    const day = Number(date?.[3]);
    if (!date || !DateTime.fromObject({ year, month, day }, { zone: 'UTC' }).isValid) {
      return { ok: false, problem: `\`${shown(first)}\` is not a date: use YYYY-MM-DD, e.g. 2026-12-01.` };
    }
    return { ok: true, when: { kind: 'at', date: { year, month, day }, hour, minute } };
  }
  return { ok: false, problem: `Give the time as ${WHEN_USAGE}.` };
}

/** The inverse of parseDuration: `2h`, `1h30m`, `90s`. */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / seconds);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * seconds;
  }
  return parts.join('') || '0s';
}

/** What a timing adds to the audit trail's parameters. */
export function timingParams(timing: Timing | undefined): Record<string, string> {
  if (!timing) return {};
  return timing.kind === 'at'
    ? { at: new Date(timing.at).toISOString() }
    : { for: formatDuration(timing.durationMs) };
}

export function isKnownZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * The instant a `When` names for a person in `zone`, now being `now`; or why there is none: a time
 * in the past, a wall-clock time that does not exist that day (the clocks skip it), too far ahead, a
 * zone the bot does not know. A wall-clock time that happens twice (clocks go back) is the first.
 */
export function resolveWhen(when: When, zone: string | undefined, now: number): WhenResolve {
  if (when.kind !== 'at') {
    // A duration needs no zone; the zone only says the time back in words.
    const words = zone !== undefined && isKnownZone(zone) ? zone : 'UTC';
    const timing: Timing =
      when.kind === 'for'
        ? { kind: 'for', durationMs: when.ms, zone: words }
        : { kind: 'at', at: now + when.ms, zone: words };
    return { ok: true, timing };
  }
  if (zone === undefined) {
    return {
      ok: false,
      problem:
        'The bot could not read your Slack time zone, so it cannot read a time of day. Use `in <duration>` instead, e.g. `in 2h`.',
    };
  }
  if (!isKnownZone(zone)) {
    return {
      ok: false,
      problem: `Your Slack time zone \`${zone}\` is not one the bot knows, so it cannot read a time of day. Use \`in <duration>\` instead, or set your time zone in Slack.`,
    };
  }
  const today = DateTime.fromMillis(now, { zone });
  const wanted = {
    ...(when.date ?? { year: today.year, month: today.month, day: today.day }),
    hour: when.hour,
    minute: when.minute,
  };
  const local = DateTime.fromObject(wanted, { zone });
  const typed = `${pad(when.hour)}:${pad(when.minute)}`;
  const day = when.date ? `on ${local.toFormat('d LLLL yyyy')}` : 'today';
  if (local.hour !== when.hour || local.minute !== when.minute) {
    return {
      ok: false,
      problem: `${typed} does not exist ${day} in ${zone}: the clocks skip it (daylight saving time). Pick another time.`,
    };
  }
  // Of the two offsets an hour that happens twice has, the earlier instant.
  const at = Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()));
  if (at <= now) {
    const hint = when.date
      ? ''
      : ` For tomorrow, give the date: \`at ${today.plus({ days: 1 }).toFormat('yyyy-LL-dd')} ${typed}\`.`;
    return { ok: false, problem: `${typed} ${day} (${zone}) is in the past.${hint}` };
  }
  if (at - now > MAX_AHEAD_MS)
    return { ok: false, problem: `${typed} ${day} is too far ahead: at most 366 days.` };
  return { ok: true, timing: { kind: 'at', at, zone } };
}

/** `18:00 CET, Monday 30 November 2026 (Europe/Berlin)`: an instant in words, in a zone. */
export function timeInWords(at: number, zone: string): string {
  const local = DateTime.fromMillis(at, { zone: isKnownZone(zone) ? zone : 'UTC' }).setLocale('en-GB');
  return `${local.toFormat('HH:mm ZZZZ, cccc d LLLL yyyy')} (${local.zoneName})`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
