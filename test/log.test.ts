import { describe, expect, it } from 'vitest';
import { createLogger, scrubber, slackLogger } from '../src/log.js';

function collect(secrets: string[]) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', secrets, write: (line) => lines.push(line) });
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON object a line with time and level', () => {
    const { logger, lines } = collect([]);
    logger.info({ server_id: 12345 }, 'hello');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'info',
      msg: 'hello',
      server_id: 12345,
      time: expect.any(String),
    });
  });

  it('scrubs configured secrets and Slack token shapes from every line, whatever logged them', () => {
    const { logger, lines } = collect(['vps-secret-token-1', 'signing-secret-2']);
    logger.warn(
      { detail: 'token vps-secret-token-1 refused' },
      'with signing-secret-2 and xoxb-123-abc and xapp-1-zzz',
    );
    slackLogger(logger).debug('bolt says', 'xoxp-999-user', { toString: () => 'vps-secret-token-1' });
    const text = lines.join('');
    for (const secret of [
      'vps-secret-token-1',
      'signing-secret-2',
      'xoxb-123-abc',
      'xapp-1-zzz',
      'xoxp-999-user',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(lines).toHaveLength(2);
  });

  it('scrubs the credentials of a Redis URL in any line, even a password too short to scrub alone', () => {
    const scrub = scrubber(['pw']);
    for (const url of [
      'redis://:pw@10.0.0.5:6379/0',
      'rediss://bot:pw@cache:6380',
      'redis://bot:p%40w@h:1',
    ]) {
      const clean = scrub(`connect failed: ${url} refused`);
      expect(clean, url).not.toMatch(/:pw@|p%40w/);
      expect(clean, url).toContain('[redacted]@');
    }
  });

  it('scrubs a secret the JSON line escapes (a quote, a backslash, a control character)', () => {
    const secret = 'tok"en\\with\tescapes';
    const { logger, lines } = collect([secret]);
    logger.warn({ detail: `refused ${secret}` }, `with ${secret}`);
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(line.msg).toBe('with [redacted]');
    expect(line.detail).toBe('refused [redacted]');
    expect(lines.join('')).not.toContain('tok\\"en');
  });

  it('ignores secrets too short to scrub safely', () => {
    expect(scrubber(['ab'])('about')).toBe('about');
  });

  it('honours the level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', secrets: [], write: (line) => lines.push(line) });
    logger.info('quiet');
    logger.error('loud');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['loud']);
  });
});
