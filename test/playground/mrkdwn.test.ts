import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeEntities,
  EMOJI,
  formatDate,
  parseInline,
  parseMrkdwn,
} from '../../src/playground/page/mrkdwn.js';

describe('entities', () => {
  it('decodes the three entities exactly once', () => {
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
    expect(decodeEntities('a &lt;b&gt; &amp; c')).toBe('a <b> & c');
    expect(decodeEntities('&quot;&nbsp;')).toBe('&quot;&nbsp;');
  });

  it('an escaped tag is text, however it is nested', () => {
    expect(parseInline('*&lt;img src=x onerror=alert(1)&gt;*  ·  active')).toEqual([
      { kind: 'bold', children: [{ kind: 'text', text: '<img src=x onerror=alert(1)>' }] },
      { kind: 'text', text: '  ·  active' },
    ]);
    expect(parseInline('`&amp;lt;script&amp;gt;`')).toEqual([{ kind: 'code', text: '&lt;script&gt;' }]);
  });
});

describe('formatting', () => {
  it('reads bold, italic, strike and code, nested where Slack allows', () => {
    expect(parseInline('*bold* _italic_ ~gone~ `x*y*`')).toEqual([
      { kind: 'bold', children: [{ kind: 'text', text: 'bold' }] },
      { kind: 'text', text: ' ' },
      { kind: 'italic', children: [{ kind: 'text', text: 'italic' }] },
      { kind: 'text', text: ' ' },
      { kind: 'strike', children: [{ kind: 'text', text: 'gone' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'x*y*' },
    ]);
    expect(parseInline('*_both_*')).toEqual([
      { kind: 'bold', children: [{ kind: 'italic', children: [{ kind: 'text', text: 'both' }] }] },
    ]);
  });

  it('leaves markers inside words and lone markers alone', () => {
    expect(parseInline('web_server_01 and 2*3*4 and * alone *')).toEqual([
      { kind: 'text', text: 'web_server_01 and 2*3*4 and * alone *' },
    ]);
  });

  it('does not run a marker across lines', () => {
    expect(parseInline('*a\nb*')).toEqual([
      { kind: 'text', text: '*a' },
      { kind: 'newline' },
      { kind: 'text', text: 'b*' },
    ]);
  });

  it('reads code blocks, and an unclosed fence as text', () => {
    expect(parseMrkdwn('before\n```\n&lt;pre&gt; *not bold*\n```\nafter')).toEqual([
      { kind: 'paragraph', children: [{ kind: 'text', text: 'before' }, { kind: 'newline' }] },
      { kind: 'pre', text: '<pre> *not bold*' },
      { kind: 'paragraph', children: [{ kind: 'text', text: 'after' }] },
    ]);
    expect(parseMrkdwn('```open')).toEqual([
      { kind: 'paragraph', children: [{ kind: 'text', text: '```open' }] },
    ]);
  });
});

describe('links, mentions and emoji', () => {
  it('reads links with and without a label, decoding the label once', () => {
    expect(parseInline('<https://vps.org/a?b=1&amp;c=2|VPS &amp;lt;org&amp;gt;> <https://x.test>')).toEqual([
      { kind: 'link', url: 'https://vps.org/a?b=1&c=2', label: 'VPS &lt;org&gt;' },
      { kind: 'text', text: ' ' },
      { kind: 'link', url: 'https://x.test', label: 'https://x.test' },
    ]);
  });

  it('reads user, channel and group mentions, and broadcasts', () => {
    expect(
      parseInline('<@U0ALICE> in <#C0OPS> and <#C0X|ops-2>: <!here> <!channel> <!subteam^S0OPS|@ops>'),
    ).toEqual([
      { kind: 'user', id: 'U0ALICE' },
      { kind: 'text', text: ' in ' },
      { kind: 'channel', id: 'C0OPS' },
      { kind: 'text', text: ' and ' },
      { kind: 'channel', id: 'C0X', label: 'ops-2' },
      { kind: 'text', text: ': ' },
      { kind: 'broadcast', name: 'here' },
      { kind: 'text', text: ' ' },
      { kind: 'broadcast', name: 'channel' },
      { kind: 'text', text: ' ' },
      { kind: 'usergroup', id: 'S0OPS', label: '@ops' },
    ]);
  });

  it('reads dates with their format and fallback', () => {
    expect(parseInline('<!date^1736519400^{date_short_pretty} {time}|2025-01-10T14:30:00Z>')).toEqual([
      {
        kind: 'date',
        seconds: 1736519400,
        format: '{date_short_pretty} {time}',
        fallback: '2025-01-10T14:30:00Z',
      },
    ]);
  });

  it('knows the emoji the bot uses and keeps unknown ones as names', () => {
    expect(parseInline(':large_green_circle: active :nope:')).toEqual([
      { kind: 'emoji', name: 'large_green_circle', char: '🟢' },
      { kind: 'text', text: ' active ' },
      { kind: 'emoji', name: 'nope', char: undefined },
    ]);
  });

  it('a raw tag the bot forgot to escape is still only a link target, never markup', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([
      { kind: 'link', url: 'img src=x onerror=alert(1)', label: 'img src=x onerror=alert(1)' },
    ]);
  });
});

describe('dates in the reader\u2019s time zone', () => {
  const at = Date.UTC(2025, 0, 10, 14, 30, 5) / 1000;
  it('formats each token', () => {
    const now = new Date(Date.UTC(2025, 5, 1));
    expect(formatDate(at, '{date_num} {time} {time_secs}', 'Asia/Tokyo', now)).toBe(
      '2025-01-10 23:30 23:30:05',
    );
    expect(formatDate(at, '{date_short}', 'UTC', now)).toBe('Jan 10, 2025');
    expect(formatDate(at, '{date_long}', 'UTC', now)).toBe('Friday, January 10, 2025');
    expect(formatDate(at, '{time}', 'Asia/Kolkata', now)).toBe('20:00');
    expect(formatDate(at, '{unknown}', 'UTC', now)).toBe('{unknown}');
  });

  it('says Today, Yesterday and Tomorrow in the pretty forms', () => {
    const sameDay = new Date(Date.UTC(2025, 0, 10, 20));
    expect(formatDate(at, '{date_short_pretty}', 'UTC', sameDay)).toBe('Today');
    expect(formatDate(at, '{date_pretty}', 'UTC', new Date(Date.UTC(2025, 0, 11, 9)))).toBe('Yesterday');
    expect(formatDate(at, '{date_long_pretty}', 'UTC', new Date(Date.UTC(2025, 0, 9, 9)))).toBe('Tomorrow');
  });
});

describe('the emoji vps-bot writes', () => {
  it('are all drawn as emoji, none left as :name:', () => {
    const root = join(import.meta.dirname, '../../src');
    const sources = ['slack', 'service']
      .flatMap((dir) =>
        readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(root, dir, f)),
      )
      .filter((file) => file.endsWith('.ts'));
    const used = new Set(
      sources.flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/:([a-z0-9_+-]+):/g)].map((m) => m[1] ?? ''),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => EMOJI[name] === undefined)).toEqual([]);
  });
});
