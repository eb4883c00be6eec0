import { describe, expect, it } from 'vitest';
import { truncate, truncateMrkdwn } from '../../src/slack/blocks/kit.js';

describe('truncate', () => {
  it('keeps text that fits, cuts the rest with an ellipsis, never between the halves of an emoji', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('a😀b', 3)).toBe('a…');
  });
});

describe('truncateMrkdwn', () => {
  it('never cuts inside a mention or a date, which would show as markup', () => {
    expect(truncateMrkdwn('by <@U123ABC> at noon', 10)).toBe('by …');
    expect(truncateMrkdwn('by <@U1> at noon', 10)).toBe('by <@U1> …');
    const date = '<!date^1^{date_short_pretty} {time}|1970-01-01T00:00:01Z>';
    expect(truncateMrkdwn(`x ${date} y`, 20)).toBe('x …');
    expect(truncateMrkdwn(`x ${date} yyyy`, date.length + 4)).toBe(`x ${date} …`);
  });

  it('cuts as truncate does where no token is open', () => {
    expect(truncateMrkdwn('&lt;!channel&gt; and more', 10)).toBe('&lt;!chan…');
  });
});
