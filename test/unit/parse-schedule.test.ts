import { describe, expect, it } from 'vitest';
import { type Command, parseCommand, SCHEDULE_USAGE, USAGE } from '../../src/slack/parse.js';

function parsed(text: string): Command {
  const result = parseCommand(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.problem}`);
  return result.command;
}

function refused(text: string) {
  const result = parseCommand(text);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result;
}

describe('parseCommand: scheduled changes', () => {
  it('reads the forms of design.md', () => {
    expect(parsed('stop web-server-01 at 18:00')).toEqual({
      verb: 'schedule',
      action: 'stop',
      server: 'web-server-01',
      when: { kind: 'at', hour: 18, minute: 0 },
    });
    expect(parsed('reboot web-server-01 in 30m')).toEqual({
      verb: 'schedule',
      action: 'reboot',
      server: 'web-server-01',
      when: { kind: 'in', ms: 1_800_000 },
    });
    expect(parsed('start 12347 at 2026-12-01 07:00')).toMatchObject({
      action: 'start',
      server: '12347',
      when: { kind: 'at', date: { year: 2026, month: 12, day: 1 }, hour: 7, minute: 0 },
    });
    expect(parsed('STOP web-server-01 FOR 2h')).toMatchObject({
      action: 'stop',
      when: { kind: 'for', ms: 7_200_000 },
    });
    expect(parsed('scheduled')).toEqual({ verb: 'scheduled' });
  });

  it('refuses `for` on anything but stop, naming what to use instead', () => {
    const start = refused('start staging-01 for 2h');
    expect(start.problem).toContain('`for` works with stop only');
    expect(start.usage).toBe(SCHEDULE_USAGE);
    expect(refused('reboot web-server-01 for 1h').problem).toContain('To reboot later, use `at` or `in`');
  });

  it('refuses scheduling what cannot be scheduled', () => {
    expect(refused('delete web-server-01 at 18:00').problem).toBe(
      'Only start, stop and reboot can be scheduled, not `delete`.',
    );
    expect(refused('edit web-server-01 in 2h').problem).toContain('not `edit`');
  });

  it('gives the time grammar’s own complaint, with the usage', () => {
    const late = refused('stop web-server-01 at 25:00');
    expect(late.problem).toContain('`25:00` is not a time of day');
    expect(late.usage).toBe(SCHEDULE_USAGE);
    expect(refused('stop web-server-01 in 0m').problem).toContain('is no time at all');
    expect(refused('stop web-server-01 in').problem).toContain('needs a duration');
    expect(refused('scheduled now').usage).toBe(USAGE.scheduled);
  });

  it('keeps the old complaint for two servers', () => {
    expect(refused('stop web-server-01 db-server-01').problem).toContain('2');
  });

  it('suggests /vps scheduled for a near miss', () => {
    expect(refused('schedule').suggestion).toBe('scheduled');
  });
});
