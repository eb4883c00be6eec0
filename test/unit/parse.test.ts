import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import { type ParseResult, parseCommand, USAGE, words } from '../../src/slack/parse.js';

function parsed(text: string) {
  const result = parseCommand(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.problem}`);
  return result.command;
}

function refused(text: string): Extract<ParseResult, { ok: false }> {
  const result = parseCommand(text);
  if (result.ok)
    throw new Error(`expected ${JSON.stringify(text)} to be refused, got ${JSON.stringify(result)}`);
  expect(result.problem.length).toBeGreaterThan(0);
  return result;
}

describe('words', () => {
  it('splits on any whitespace and drops empty words', () => {
    expect(words('  show \t web-server-01 \n ')).toEqual(['show', 'web-server-01']);
    expect(words('')).toEqual([]);
  });

  it('takes back what was typed from a link Slack wrapped, with or without a label', () => {
    expect(words('show <http://web01.example.com|web01.example.com>')).toEqual(['show', 'web01.example.com']);
    expect(words('show <https://web01.example.com>')).toEqual(['show', 'web01.example.com']);
    expect(words('hostname web <http://web02.example.com|web02.example.com>')).toEqual([
      'hostname',
      'web',
      'web02.example.com',
    ]);
    expect(words('show <mailto:ops@example.com|ops@example.com>')).toEqual(['show', 'ops@example.com']);
  });

  it('unescapes &lt; &gt; and &amp; once, after unwrapping links', () => {
    expect(words('show a&amp;b &lt;x&gt;')).toEqual(['show', 'a&b', '<x>']);
    // A person who typed "&lt;" literally gets Slack's "&amp;lt;", which is "&lt;" again, not "<".
    expect(words('show &amp;lt;')).toEqual(['show', '&lt;']);
  });

  it('unwraps a link inside a key=value option', () => {
    expect(words('create w hostname=<http://w.example.com|w.example.com>')).toEqual([
      'create',
      'w',
      'hostname=w.example.com',
    ]);
  });
});

describe('parseCommand: help and unknown commands', () => {
  it('answers help for empty text, blanks, `help` and `?`', () => {
    for (const text of ['', '   ', 'help', 'HELP', '?']) expect(parsed(text)).toEqual({ verb: 'help' });
  });

  it('suggests the nearest command for a typo', () => {
    const result = refused('strat web-server-01');
    expect(result.problem).toContain('strat');
    expect(result.suggestion).toBe('start');
    expect(refused('reboto web').suggestion).toBe('reboot');
    expect(refused('shwo web').suggestion).toBe('show');
  });

  it('suggests the command whose letters were swapped, not another as far by plain edit distance', () => {
    expect(refused('lsit').suggestion).toBe('list');
  });

  it('suggests nothing when nothing is close', () => {
    const result = refused('frobnicate');
    expect(result.suggestion).toBeUndefined();
    expect(result.problem).toContain('frobnicate');
  });
});

describe('parseCommand: list', () => {
  it('lists everything without arguments, also as `ls`', () => {
    expect(parsed('list')).toEqual({ verb: 'list', filter: {} });
    expect(parsed('ls')).toEqual({ verb: 'list', filter: {} });
  });

  it('takes a bare status word, case-insensitively', () => {
    expect(parsed('list stopped')).toEqual({ verb: 'list', filter: { status: 'stopped' } });
    expect(parsed('list ACTIVE')).toEqual({ verb: 'list', filter: { status: 'active' } });
    expect(parsed('list provisioning')).toEqual({ verb: 'list', filter: { status: 'provisioning' } });
  });

  it('takes status= and location=, alone or together', () => {
    expect(parsed('list status=stopped')).toEqual({ verb: 'list', filter: { status: 'stopped' } });
    expect(parsed('list location=us-west')).toEqual({ verb: 'list', filter: { location: 'us-west' } });
    expect(parsed('list status=active location=eu-central')).toEqual({
      verb: 'list',
      filter: { status: 'active', location: 'eu-central' },
    });
    expect(parsed('list stopped location=us-east')).toEqual({
      verb: 'list',
      filter: { status: 'stopped', location: 'us-east' },
    });
  });

  it('refuses an unknown bare word, suggesting the nearest status', () => {
    const result = refused('list stoped');
    expect(result.problem).toContain('stoped');
    expect(result.suggestion).toBe('list stopped');
    expect(result.usage).toBe(USAGE.list);
  });

  it('refuses an unknown filter key and an empty value', () => {
    const bad = refused('list region=us-west');
    expect(bad.problem).toContain('region=us-west');
    expect(bad.usage).toBe(USAGE.list);
    expect(refused('list status=').usage).toBe(USAGE.list);
    expect(refused('list location=').usage).toBe(USAGE.list);
  });

  it('refuses a status or location that is not one word, control characters included', () => {
    for (const value of ['act\u0000ive', 'us/west', 'a?b=c', 'us-west\u202E', '*']) {
      expect(refused(`list status=${value}`).problem).toMatch(
        /is not a status: letters, digits, - and _ only/,
      );
      expect(refused(`list location=${value}`).problem).toMatch(/is not a location code/);
    }
    expect(parsed('list status=Some_Status-2')).toEqual({
      verb: 'list',
      filter: { status: 'some_status-2' },
    });
  });
});

describe('parseCommand: show and its aliases', () => {
  it('reads show, info and status as show', () => {
    for (const verb of ['show', 'info', 'status', 'SHOW', 'Info']) {
      expect(parsed(`${verb} web-server-01`)).toEqual({ verb: 'show', server: 'web-server-01' });
    }
  });

  it('keeps a numeric id and a hostname as typed', () => {
    expect(parsed('show 12345')).toEqual({ verb: 'show', server: '12345' });
    expect(parsed('show <http://web01.example.com|web01.example.com>')).toEqual({
      verb: 'show',
      server: 'web01.example.com',
    });
  });

  it('asks which server when none or two are given', () => {
    expect(refused('show').usage).toBe(USAGE.show);
    expect(refused('info a b').usage).toBe(USAGE.show);
  });
});

describe('parseCommand: one-server changes', () => {
  for (const verb of ['start', 'stop', 'reboot', 'delete', 'edit'] as const) {
    it(`${verb} takes exactly one server`, () => {
      expect(parsed(`${verb} web-server-01`)).toEqual({ verb, server: 'web-server-01' });
      expect(parsed(`${verb.toUpperCase()} 12345`)).toEqual({ verb, server: '12345' });
      const none = refused(verb);
      expect(none.usage).toBe(USAGE[verb]);
      const two = refused(`${verb} web-server-01 db-server-01`);
      expect(two.usage).toBe(USAGE[verb]);
      expect(two.problem).toContain('2');
    });
  }

  it('refuses a word too long to be a server', () => {
    refused(`stop ${'a'.repeat(254)}`);
  });
});

describe('parseCommand: rename, hostname, backups', () => {
  it('rename takes a server and a new name', () => {
    expect(parsed('rename web-server-01 web-server-02')).toEqual({
      verb: 'rename',
      server: 'web-server-01',
      name: 'web-server-02',
    });
    expect(refused('rename').usage).toBe(USAGE.rename);
    expect(refused('rename web-server-01').usage).toBe(USAGE.rename);
    expect(refused('rename a b c').usage).toBe(USAGE.rename);
  });

  it('hostname takes a server and an FQDN, even when Slack made it a link', () => {
    expect(parsed('hostname web-server-01 <http://web02.example.com|web02.example.com>')).toEqual({
      verb: 'hostname',
      server: 'web-server-01',
      hostname: 'web02.example.com',
    });
    expect(refused('hostname web-server-01').usage).toBe(USAGE.hostname);
    expect(refused('hostname a b c').usage).toBe(USAGE.hostname);
  });

  it('hostname accepts a 253-character FQDN', () => {
    const fqdn = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(fqdn).toHaveLength(253);
    expect(parsed(`hostname web ${fqdn}`)).toEqual({ verb: 'hostname', server: 'web', hostname: fqdn });
  });

  it('backups reads every on and off word', () => {
    for (const word of ['on', 'ON', 'yes', 'true', 'enable', 'enabled']) {
      expect(parsed(`backups web-server-01 ${word}`)).toEqual({
        verb: 'backups',
        server: 'web-server-01',
        enabled: true,
      });
    }
    for (const word of ['off', 'Off', 'no', 'false', 'disable', 'disabled']) {
      expect(parsed(`backups web-server-01 ${word}`)).toEqual({
        verb: 'backups',
        server: 'web-server-01',
        enabled: false,
      });
    }
  });

  it('backups refuses a missing or unclear setting and extra words', () => {
    expect(refused('backups').usage).toBe(USAGE.backups);
    expect(refused('backups web-server-01').usage).toBe(USAGE.backups);
    expect(refused('backups web-server-01 maybe').usage).toBe(USAGE.backups);
    expect(refused('backups web-server-01 on now').usage).toBe(USAGE.backups);
  });
});

describe('parseCommand: create', () => {
  it('opens the form without arguments', () => {
    expect(parsed('create')).toEqual({ verb: 'create-form' });
    expect(parsed('CREATE  ')).toEqual({ verb: 'create-form' });
  });

  it('reads the one-line form with the required options only', () => {
    expect(parsed('create web-03 plan=1 os=5 location=us-west')).toEqual({
      verb: 'create',
      input: { name: 'web-03', plan_id: 1, os_id: 5, location: 'us-west' },
    });
  });

  it('reads every option, in any order, with keys in any case', () => {
    expect(
      parsed(
        'create web-03 location=eu-central backups=on SSH_KEY=42 os=3 hostname=<http://web03.example.com|web03.example.com> Plan=2',
      ),
    ).toEqual({
      verb: 'create',
      input: {
        name: 'web-03',
        plan_id: 2,
        os_id: 3,
        location: 'eu-central',
        hostname: 'web03.example.com',
        ssh_key_id: 42,
        backups_enabled: true,
      },
    });
    expect(parsed('create web-03 plan=1 os=5 location=us-west backups=off')).toEqual({
      verb: 'create',
      input: { name: 'web-03', plan_id: 1, os_id: 5, location: 'us-west', backups_enabled: false },
    });
  });

  it('accepts a 253-character hostname= (the longest FQDN there is)', () => {
    const fqdn = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(parsed(`create web-03 plan=1 os=5 location=us-west hostname=${fqdn}`)).toEqual({
      verb: 'create',
      input: { name: 'web-03', plan_id: 1, os_id: 5, location: 'us-west', hostname: fqdn },
    });
  });

  it('names each missing required option', () => {
    expect(refused('create web-03 os=5 location=us-west').problem).toContain('plan');
    expect(refused('create web-03 plan=1 location=us-west').problem).toContain('os');
    const noLocation = refused('create web-03 plan=1 os=5');
    expect(noLocation.problem).toContain('location');
    expect(noLocation.usage).toBe(USAGE.create);
  });

  it('wants the name first', () => {
    expect(refused('create plan=1 os=5 location=us-west').usage).toBe(USAGE.create);
  });

  it('refuses ids that are not positive whole numbers', () => {
    for (const bad of ['plan=abc', 'plan=0', 'plan=1.5', 'plan=-1']) {
      const result = refused(`create web-03 ${bad} os=5 location=us-west`);
      expect(result.problem).toContain('plan');
    }
    expect(refused('create web-03 plan=1 os=x location=us-west').problem).toContain('os');
    expect(refused('create web-03 plan=1 os=5 location=us-west ssh_key=key1').problem).toContain('ssh_key');
  });

  it('refuses an unclear backups value', () => {
    expect(refused('create web-03 plan=1 os=5 location=us-west backups=maybe').problem).toContain('backups');
  });

  it('refuses an unknown key, suggesting the nearest with its value', () => {
    const result = refused('create web-03 plam=1 os=5 location=us-west');
    expect(result.problem).toContain('plam');
    expect(result.suggestion).toBe('plan=1');
    expect(refused('create web-03 plan=1 os=5 locaton=us-west').suggestion).toBe('location=us-west');
  });

  it('refuses a key given twice', () => {
    const result = refused('create web-03 plan=1 os=5 location=us-west plan=2');
    expect(result.problem).toContain('plan');
    expect(result.problem).toContain('twice');
  });

  it('refuses an option without a value', () => {
    expect(refused('create web-03 plan= os=5 location=us-west').problem).toContain('plan');
    expect(refused('create web-03 plan=1 os=5 location=us-west hostname').usage).toBe(USAGE.create);
  });
});

describe('parseCommand: subscriptions and history', () => {
  for (const verb of ['subscribe', 'unsubscribe'] as const) {
    it(`${verb} takes all, one server, or nothing (= all)`, () => {
      expect(parsed(verb)).toEqual({ verb, target: 'all' });
      expect(parsed(`${verb} all`)).toEqual({ verb, target: 'all' });
      expect(parsed(`${verb} ALL`)).toEqual({ verb, target: 'all' });
      expect(parsed(`${verb} web-server-01`)).toEqual({ verb, target: 'web-server-01' });
      expect(parsed(`${verb} <http://web01.example.com|web01.example.com>`)).toEqual({
        verb,
        target: 'web01.example.com',
      });
      expect(refused(`${verb} web-server-01 db-server-01`).usage).toBe(USAGE[verb]);
    });
  }

  it('subscriptions takes nothing more', () => {
    expect(parsed('subscriptions')).toEqual({ verb: 'subscriptions' });
    expect(refused('subscriptions all').usage).toBe(USAGE.subscriptions);
  });

  it('history takes exactly one server', () => {
    expect(parsed('history web-server-01')).toEqual({ verb: 'history', server: 'web-server-01' });
    expect(parsed('HISTORY 12345')).toEqual({ verb: 'history', server: '12345' });
    expect(refused('history').usage).toBe(USAGE.history);
    expect(refused('history a b').usage).toBe(USAGE.history);
  });

  it('suggests subscribe for a typo', () => {
    expect(refused('subscibe').suggestion).toBe('subscribe');
  });
});

describe('parseCommand: hostile input', () => {
  it('refuses a command longer than its bound at once, saying how long it was and the most', () => {
    const result = refused(`${'x'.repeat(5000)} web-server-01`);
    expect(result.problem).toBe('That command is too long (5,014 characters; the most is 1,000).');
    expect(result.suggestion).toBeUndefined();
    const padded = `show web-server-01${' '.repeat(INPUT_LIMITS.commandText)}`;
    expect(parsed(padded.slice(0, INPUT_LIMITS.commandText))).toEqual({
      verb: 'show',
      server: 'web-server-01',
    });
    expect(refused(padded.slice(0, INPUT_LIMITS.commandText + 1)).problem).toContain(
      'That command is too long',
    );
  });

  it('quotes back at most INPUT_LIMITS.echo characters of what was typed, with an ellipsis', () => {
    const word = 'q'.repeat(900);
    const unknown = refused(word);
    expect(unknown.problem).toBe(`There is no \`/vps ${'q'.repeat(INPUT_LIMITS.echo - 1)}…\` command.`);
    expect(unknown.suggestion).toBeUndefined();
    const status = refused(`list ${'z'.repeat(200)}`);
    expect(status.problem).toContain(`\`${'z'.repeat(INPUT_LIMITS.echo - 1)}…\` is not a status`);
    const option = refused(`create web plan=1 os=1 location=x ${'k'.repeat(300)}=1`);
    expect(option.problem).toBe(`\`${'k'.repeat(INPUT_LIMITS.echo - 1)}…\` is not a create option.`);
    const long = refused(`stop ${'a'.repeat(254)}`);
    expect(long.problem).toBe(
      `\`${'a'.repeat(INPUT_LIMITS.echo - 1)}…\` is too long (254 characters; the most is 253).`,
    );
  });

  it('quotes back a scheduled change’s time shortened too, whichever part is wrong', () => {
    const typed = 'w'.repeat(INPUT_LIMITS.word);
    const cut = `\`${'w'.repeat(INPUT_LIMITS.echo - 1)}…\``;
    for (const text of [
      `stop web-01 at ${typed}`,
      `stop web-01 at ${typed} 07:00`,
      `stop web-01 at 2026-12-01 ${typed}`,
      `reboot web-01 in ${typed}`,
      `stop web-01 for ${typed}`,
      `stop web-01 in ${'9'.repeat(200)}d`,
    ]) {
      const { problem } = refused(text);
      expect(problem.length, text).toBeLessThan(250);
      if (!text.includes('99')) expect(problem, text).toContain(cut);
    }
  });

  it('bounds list filters, which travel in the Previous/Next buttons', () => {
    const max = 'a'.repeat(INPUT_LIMITS.listFilter);
    expect(parsed(`list location=${max}`)).toEqual({ verb: 'list', filter: { location: max } });
    const result = refused(`list location=${max}b`);
    expect(result.problem).toBe('The location is too long (65 characters; the most is 64).');
    expect(result.usage).toBe(USAGE.list);
    expect(refused(`list status=${max}b`).problem).toContain('The status is too long');
  });

  it('unwraps links in linear time: `<` with no `>` cannot make it backtrack', () => {
    // Each match used to scan to the end of the text from every `<`: quadratic in the length.
    expect(words(`show <${'<'.repeat(INPUT_LIMITS.commandText)}`)).toHaveLength(2);
    expect(words('show <http://a|<http://b|c>')).toEqual(['show', '<http://a|c']);
  });
});
