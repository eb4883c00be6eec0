import { describe, expect, it } from 'vitest';
import { parseDuration, parseWhen, resolveWhen, timeInWords, type When } from '../../src/service/when.js';

const NOW = Date.parse('2026-11-30T09:00:00Z');

function when(text: string): When {
  const parsed = parseWhen(text.split(' '));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.when;
}

function problem(text: string): string {
  const parsed = parseWhen(text.split(' '));
  if (parsed.ok) throw new Error(`expected ${text} to be refused`);
  return parsed.problem;
}

function instant(text: string, zone: string | undefined, now = NOW): string {
  const resolved = resolveWhen(when(text), zone, now);
  if (!resolved.ok) throw new Error(resolved.problem);
  return resolved.timing.kind === 'at' ? new Date(resolved.timing.at).toISOString() : 'for';
}

function refusal(text: string, zone: string | undefined, now = NOW): string {
  const resolved = resolveWhen(when(text), zone, now);
  if (resolved.ok) throw new Error(`expected ${text} in ${zone} to be refused`);
  return resolved.problem;
}

describe('durations', () => {
  it.each([
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['1d', 86_400_000],
    ['2H', 7_200_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['30', 'm', '2 h', '1.5h', '-5m', '30min', 'soon'])('%s is not a duration', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('parseWhen: the grammar, with a specific complaint for each mistake', () => {
  it('reads the four forms', () => {
    expect(when('at 18:00')).toEqual({ kind: 'at', hour: 18, minute: 0 });
    expect(when('at 7:05')).toEqual({ kind: 'at', hour: 7, minute: 5 });
    expect(when('at 2026-12-01 07:00')).toEqual({
      kind: 'at',
      date: { year: 2026, month: 12, day: 1 },
      hour: 7,
      minute: 0,
    });
    expect(when('in 30m')).toEqual({ kind: 'in', ms: 1_800_000 });
    expect(when('for 2h')).toEqual({ kind: 'for', ms: 7_200_000 });
  });

  it('refuses what is not a time, a date or a duration', () => {
    expect(problem('at 25:00')).toBe(
      '`25:00` is not a time of day: use HH:MM on a 24-hour clock, from 00:00 to 23:59.',
    );
    expect(problem('at 12:60')).toContain('is not a time of day');
    expect(problem('at 6pm')).toContain('`6pm` is not a time of day');
    expect(problem('at 2026-02-30 10:00')).toBe(
      '`2026-02-30` is not a date: use YYYY-MM-DD, e.g. 2026-12-01.',
    );
    expect(problem('at 01/12/2026 10:00')).toContain('is not a date');
    expect(problem('at')).toContain('`at` takes a time');
    expect(problem('in 0m')).toBe('`in 0m` is no time at all: give a duration of a second or more.');
    expect(problem('for 0h')).toContain('is no time at all');
    expect(problem('in soon')).toContain('`soon` is not a duration');
    expect(problem('in 1h 30m')).toContain('without spaces');
    expect(problem('in')).toContain('needs a duration');
    expect(problem('in 400d')).toContain('too far ahead');
    expect(problem('tomorrow 10:00')).toContain('Give the time as at HH:MM');
  });
});

describe('resolveWhen: wall-clock times in the person’s zone', () => {
  it('reads HH:MM as today in that zone', () => {
    expect(instant('at 18:00', 'Europe/Berlin')).toBe('2026-11-30T17:00:00.000Z');
    expect(instant('at 18:00', 'America/New_York')).toBe('2026-11-30T23:00:00.000Z');
    expect(instant('at 18:00', 'Asia/Kolkata')).toBe('2026-11-30T12:30:00.000Z');
    expect(instant('at 2026-12-01 07:00', 'Europe/Berlin')).toBe('2026-12-01T06:00:00.000Z');
  });

  it('refuses a time already past today, and says how to mean tomorrow', () => {
    // 09:00 UTC is 22:00 in Auckland: 09:00 there has passed.
    expect(refusal('at 09:00', 'Pacific/Auckland')).toBe(
      '09:00 today (Pacific/Auckland) is in the past. For tomorrow, give the date: `at 2026-12-01 09:00`.',
    );
    expect(refusal('at 2026-11-29 10:00', 'UTC')).toBe('10:00 on 29 November 2026 (UTC) is in the past.');
    expect(refusal('at 09:00', 'UTC')).toContain('in the past');
  });

  it('refuses a time the clocks skip (spring forward) and takes the first of a time that happens twice', () => {
    const march = Date.parse('2026-03-28T12:00:00Z');
    expect(refusal('at 2026-03-29 02:30', 'Europe/Berlin', march)).toBe(
      '02:30 does not exist on 29 March 2026 in Europe/Berlin: the clocks skip it (daylight saving time). Pick another time.',
    );
    expect(refusal('at 02:30', 'America/New_York', Date.parse('2026-03-08T05:00:00Z'))).toContain(
      'does not exist today in America/New_York',
    );
    const october = Date.parse('2026-10-24T12:00:00Z');
    // 02:30 happens at +02:00 (CEST) and again at +01:00 (CET): the first is 00:30 UTC.
    expect(instant('at 2026-10-25 02:30', 'Europe/Berlin', october)).toBe('2026-10-25T00:30:00.000Z');
    expect(instant('at 2026-11-01 01:30', 'America/New_York', october)).toBe('2026-11-01T05:30:00.000Z');
    // Just either side of the change.
    expect(instant('at 2026-10-25 01:59', 'Europe/Berlin', october)).toBe('2026-10-24T23:59:00.000Z');
    expect(instant('at 2026-10-25 03:00', 'Europe/Berlin', october)).toBe('2026-10-25T02:00:00.000Z');
    expect(instant('at 2026-03-29 03:00', 'Europe/Berlin', march)).toBe('2026-03-29T01:00:00.000Z');
  });

  it('refuses an unknown or unreadable zone for a time of day, but not for a duration', () => {
    expect(refusal('at 18:00', 'Mars/Olympus')).toContain('`Mars/Olympus` is not one the bot knows');
    expect(refusal('at 18:00', undefined)).toContain('could not read your Slack time zone');
    expect(instant('in 30m', 'Mars/Olympus')).toBe('2026-11-30T09:30:00.000Z');
    expect(resolveWhen(when('for 2h'), undefined, NOW)).toEqual({
      ok: true,
      timing: { kind: 'for', durationMs: 7_200_000, zone: 'UTC' },
    });
  });

  it('refuses a date more than a year ahead', () => {
    expect(refusal('at 2028-01-01 00:00', 'UTC')).toContain('too far ahead');
  });
});

describe('timeInWords', () => {
  it('says an instant in the zone it was asked in, with the zone named', () => {
    expect(timeInWords(Date.parse('2026-11-30T17:00:00Z'), 'Europe/Berlin')).toBe(
      '18:00 CET, Monday 30 November 2026 (Europe/Berlin)',
    );
    expect(timeInWords(Date.parse('2026-11-30T17:00:00Z'), 'UTC')).toBe(
      '17:00 UTC, Monday 30 November 2026 (UTC)',
    );
  });
});
