import { describe, expect, it } from 'vitest';
import { type Harness, replyTo, textOf, useHarness } from './harness.js';

let h: Harness;
useHarness(
  (started) => {
    h = started;
  },
  { env: { VPS_API_TIMEOUT_SECONDS: '0.4' } },
);

async function answer(text: string): Promise<string> {
  const sent = await h.slack.command({ text });
  return textOf(await replyTo(h.slack, sent.responseUrl));
}

/** What a person may never see: stack traces, raw bodies, tokens. */
function clean(text: string) {
  expect(text).not.toMatch(/\n\s+at |Error:|HTTPError|\{"detail"/);
  expect(text).not.toContain(h.sim.token);
  expect(text).not.toContain(h.slack.botToken);
}

describe('each error kind ends in one clear sentence', () => {
  it('unauthorized: the API rejected the token', async () => {
    h.sim.fault({ method: 'GET', path: '/api/v1/servers/', status: 401 });
    const text = await answer('list');
    expect(text).toContain(
      'VPS.org rejected the bot’s API token; nothing changed. An admin needs to check VPS_API_TOKEN.',
    );
    clean(text);
  });

  it('payment_required: the balance is too low', async () => {
    h.sim.fault({ method: 'POST', path: '/api/v1/servers/12347/start/', status: 402 });
    const text = await answer('start staging-01');
    expect(text).toContain('the account balance is too low (402)');
    clean(text);
  });

  it('not_found: no such server', async () => {
    h.sim.fault({ method: 'GET', path: '/api/v1/servers/12345/', status: 404 });
    h.sim.fault({ method: 'GET', path: '/api/v1/servers/', status: 200, body: { count: 0, results: [] } });
    const text = await answer('show 12345');
    expect(text).toContain('No server matches `12345`');
    clean(text);
  });

  it('invalid: VPS.org’s own words, and nothing changed', async () => {
    h.sim.fault({
      method: 'POST',
      path: '/api/v1/servers/12347/start/',
      status: 400,
      body: { detail: 'Server is locked by <!here> support.' },
    });
    const text = await answer('start staging-01');
    expect(text).toContain(
      'VPS.org refused: Server is locked by &lt;!here&gt; support. Nothing was changed.',
    );
    clean(text);
  });

  it('rate_limited: try again in a minute', async () => {
    h.sim.fault({
      method: 'GET',
      path: '/api/v1/servers/',
      status: 429,
      times: 5,
      headers: { 'Retry-After': '0' },
    });
    const text = await answer('list');
    expect(text).toContain('VPS.org is rate limiting the bot; nothing changed. Try again in a minute.');
    clean(text);
  });

  it('unavailable: VPS.org is down', async () => {
    h.sim.fault({
      method: 'GET',
      path: '/api/v1/servers/',
      status: 503,
      times: 5,
      body: '<html>Service Unavailable</html>',
    });
    const text = await answer('list');
    expect(text).toContain('VPS.org is down or unreachable right now. Nothing changed; try again shortly.');
    expect(text).not.toContain('<html>');
    clean(text);
  });

  it('unavailable: a reset connection', async () => {
    h.sim.fault({ method: 'GET', path: '/api/v1/servers/', reset: true, times: 5 });
    expect(await answer('list')).toContain('VPS.org is down or unreachable right now.');
  });

  it('timeout on a lookup: nothing changed', async () => {
    h.sim.fault({ method: 'GET', path: '/api/v1/servers/', hangMs: 1500 });
    expect(await answer('list')).toContain('VPS.org is slow: it did not answer in time. Nothing changed');
  });

  it('timeout on a POST: may or may not have happened, and how to check', async () => {
    h.sim.fault({ method: 'POST', path: '/api/v1/servers/12347/start/', hangMs: 1500 });
    const text = await answer('start staging-01');
    expect(text).toContain(
      'VPS.org did not answer in time. The start staging-01 may or may not have happened.',
    );
    expect(text).toContain('Check with `/vps show staging-01`');
    await h.idle();
    expect(h.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('bad_response: an answer the bot cannot read', async () => {
    h.sim.fault({
      method: 'GET',
      path: '/api/v1/servers/',
      status: 200,
      body: '{"count": 1, "results": [{"id": "oops"}]}',
    });
    const text = await answer('list');
    expect(text).toContain('VPS.org sent an answer the bot could not read');
    expect(text).not.toContain('oops');
    clean(text);
  });

  it('a slash command the bot cannot answer through its response_url does not crash it', async () => {
    const sent = await h.slack.command({ text: 'list' });
    h.slack.expireResponseUrl(sent.responseUrl);
    await h.idle();
    expect(await answer('help')).toContain('/vps list');
  });
});

describe('where the bot cannot post in the channel', () => {
  it('a private channel it is not in: the change card goes through the response_url', async () => {
    h.slack.setChannelMembership('G0PRIVATE', false);
    const sent = await h.slack.command({ text: 'start staging-01', channel: 'G0PRIVATE' });
    const card = await replyTo(h.slack, sent.responseUrl);
    expect(card.args.response_type).toBe('in_channel');
    expect(textOf(card)).toContain('<@U0ALICE> started *staging-01*');
    const settled = await h.slack.waitFor(
      'response_url',
      (c) => c.args.replace_original === true && /Settled/.test(textOf(c)),
    );
    expect(settled.args.url).toBe(sent.responseUrl);
    const outcome = await h.slack.waitFor('response_url', (c) =>
      /is now :large_green_circle: active/.test(textOf(c)),
    );
    expect(outcome.args.replace_original).toBe(false);
  });

  it('a DM: the same fallback', async () => {
    const sent = await h.slack.command({ text: 'start staging-01', channel: 'D0SOMEDM' });
    const card = await replyTo(h.slack, sent.responseUrl);
    expect(textOf(card)).toContain('started *staging-01*');
  });
});

describe('one tracker follows every server in transition', () => {
  it('with one list request per poll, however many servers it follows', async () => {
    const stopped = h.sim.addServers(12, { status: 'stopped' });
    // Slow enough that all twelve are in transition at once, however busy the machine.
    h.sim.setSettleMs(60_000);
    for (const server of stopped) await h.slack.command({ text: `start ${server.id}` });
    await h.idle();
    expect(h.bot.tracker.size).toBe(12);
    const from = h.sim.requests.length;
    await h.sim.waitForRequest((r) => r.path === '/api/v1/servers/' && h.sim.requests.length > from + 2);
    for (const server of stopped) h.sim.setStatus(server.id, 'active');
    await h.quiet();
    const polling = h.sim.requests.slice(from);
    expect(polling.length).toBeGreaterThan(0);
    expect(polling.every((r) => r.method === 'GET' && r.path === '/api/v1/servers/')).toBe(true);
    // Every settled card is updated and every outcome posted, exactly once each.
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts !== undefined)).toHaveLength(
      12,
    );
  });
});
