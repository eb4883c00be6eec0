import { describe, expect, it } from 'vitest';
import { ask, type Harness, repliesTo, replyTo, textOf, useHarness } from './harness.js';

let h: Harness;
useHarness((started) => {
  h = started;
});

async function health(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL('/healthz', h.slack.botUrl));
  return { status: response.status, body: await response.json() };
}

function linesSince(from: number, msg: string) {
  return h.logs.slice(from).filter((line) => String(line.msg).includes(msg));
}

/** `/vps start` on a fresh stopped server: its card is a chat.postMessage in the channel. */
async function startOne(channel = 'C0GENERAL') {
  const [server] = h.sim.addServers(1, { status: 'stopped' });
  if (!server) throw new Error('no server');
  const sent = await h.slack.command({ text: `start ${server.id}`, channel });
  // Until it has settled: a card update still on its way would be an answer from Slack too.
  await h.quiet();
  return { server, sent };
}

describe('Slack stops accepting the bot token at run time', () => {
  it('/healthz turns 503 and one error line says what to do; a later success turns it back', async () => {
    expect((await health()).status).toBe(200);
    const from = h.logs.length;
    h.slack.failNext('chat.postMessage', 'token_revoked', { times: 3 });
    for (let i = 0; i < 3; i++) await startOne();
    expect(h.slack.callsTo('chat.postMessage').map((c) => (c.response as { error?: string }).error)).toEqual([
      'token_revoked',
      'token_revoked',
      'token_revoked',
    ]);
    expect(await health()).toEqual({
      status: 503,
      body: { ok: false, failing: { slack_token: 'Slack no longer accepts the bot token (token_revoked)' } },
    });
    const told = linesSince(from, 'Slack no longer accepts the bot token');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      level: 'error',
      msg: 'Slack no longer accepts the bot token (token_revoked): check SLACK_BOT_TOKEN and reinstall the app',
    });
    expect(h.logText()).not.toContain(h.slack.botToken);

    await startOne();
    expect(await health()).toEqual({ status: 200, body: { ok: true } });
    expect(linesSince(from, 'Slack accepts the bot token again')).toHaveLength(1);
    await startOne();
    expect(linesSince(from, 'Slack accepts the bot token again')).toHaveLength(1);
  });

  it('invalid_auth and account_inactive say so too', async () => {
    for (const code of ['invalid_auth', 'account_inactive']) {
      h.slack.failNext('chat.postMessage', code);
      await startOne();
      expect((await health()).body).toEqual({
        ok: false,
        failing: { slack_token: `Slack no longer accepts the bot token (${code})` },
      });
      await startOne();
      expect((await health()).status).toBe(200);
    }
  });

  it('an error about the call itself (not the token) leaves /healthz alone', async () => {
    h.slack.failNext('chat.postMessage', 'msg_too_long');
    await startOne();
    expect((await health()).status).toBe(200);
  });
});

describe('views.open with a trigger_id that expired', () => {
  it('the person is told, and nothing else happens', async () => {
    const from = h.logs.length;
    const prepared = h.slack.prepareCommand({ text: 'delete web-server-01' });
    h.slack.expireTriggerId(prepared.triggerId);
    const sent = await h.slack.send(prepared.body);
    expect(sent.status).toBe(200);
    const told = await replyTo(h.slack, prepared.responseUrl);
    expect(textOf(told)).toContain('Slack did not open the form in time. Please try again.');
    expect(told.args.response_type).toBe('ephemeral');
    await h.idle();
    const [open] = h.slack.callsTo('views.open');
    expect(open?.response).toMatchObject({ ok: false, error: 'expired_trigger_id' });
    // No VPS.org call, no confirmation issued (it would be audited), no modal filled.
    expect(h.sim.requests).toEqual([]);
    expect(h.logs.slice(from).filter((line) => line.event === 'audit')).toEqual([]);
    expect(h.slack.callsTo('views.update')).toEqual([]);
    expect(repliesTo(h.slack, prepared.responseUrl)).toHaveLength(1);
  });
});

describe('a change card where the bot cannot post', () => {
  for (const code of ['channel_not_found', 'is_archived', 'not_in_channel']) {
    it(`${code}: one log line, and the card goes through the command's response_url`, async () => {
      const from = h.logs.length;
      h.slack.failNext('chat.postMessage', code, { match: (args) => args.channel === 'C0GONE' });
      const { server, sent } = await startOne('C0GONE');
      const card = await replyTo(h.slack, sent.responseUrl);
      expect(card.args.response_type).toBe('in_channel');
      expect(textOf(card)).toContain(`started *${server.name}*`);
      const lines = linesSince(from, 'posting through the response_url');
      expect(lines).toEqual([expect.objectContaining({ channel: 'C0GONE', reason: code })]);
      await h.quiet();
      expect(
        h.slack
          .callsTo('response_url')
          .some((c) => c.args.url === sent.responseUrl && /Settled/.test(textOf(c))),
      ).toBe(true);
    });
  }
});

describe('after Slack’s failures', () => {
  it('the bot answers the next command', async () => {
    expect((await ask(h.slack, 'help')).text).toContain('/vps list');
  });
});
