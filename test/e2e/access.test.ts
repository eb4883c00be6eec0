import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ask as askVia, clickReply, type Harness, replyTo, startHarness, textOf } from './harness.js';

let h: Harness;
beforeAll(async () => {
  // Alice by user ID; Carol through the user group S0OPS; Bob is neither.
  h = await startHarness({ env: { VPS_OPERATORS: 'U0ALICE,S0OPS' } });
});
afterAll(() => h?.stop());
beforeEach(async () => {
  await h.quiet();
  h.sim.reset();
  h.slack.reset();
  h.slack.setUsergroup('S0OPS', ['U0CAROL']);
});

const changes = () => h.sim.requests.filter((r) => r.method !== 'GET');
const audits = () => h.logs.filter((line) => line.event === 'audit');

const ask = (text: string, user: string) => askVia(h.slack, text, user);

describe('VPS_OPERATORS may change servers; anyone may look', () => {
  it.each([
    'start staging-01',
    'stop web-server-01',
    'reboot web-server-01',
    'delete web-server-01',
    'edit web-server-01',
    'create',
    'create x plan=1 os=5 location=us-west',
    'rename web-server-01 other',
    'hostname web-server-01 a.example.com',
    'backups web-server-01 off',
  ])('refuses `/vps %s` from a non-operator; nothing reaches VPS.org', async (command) => {
    const { text } = await ask(command, 'U0BOB');
    expect(text).toContain('Only operators may change servers');
    await h.idle();
    expect(h.sim.requests).toEqual([]);
    expect(h.slack.callsTo('views.open')).toEqual([]);
  });

  it('refuses a button click from a non-operator; nothing reaches VPS.org', async () => {
    const card = await ask('show web-server-01', 'U0BOB');
    h.sim.clearRequests();
    for (const actionId of ['vps.stop', 'vps.reboot', 'vps.delete', 'vps.edit']) {
      await clickReply(h.slack, card, actionId, 'U0BOB');
    }
    await h.idle();
    expect(h.sim.requests).toEqual([]);
    const refusals = h.slack.callsTo('response_url').slice(1).map(textOf);
    expect(refusals).toHaveLength(4);
    for (const refusal of refusals) expect(refusal).toContain('Only operators may change servers');
  });

  it('lets a non-operator look', async () => {
    expect((await ask('list', 'U0BOB')).text).toContain('web-server-01');
    expect((await ask('show db-server-01', 'U0BOB')).text).toContain('db01.example.com');
  });

  it('help lists only what the asking person may do', async () => {
    const bob = (await ask('help', 'U0BOB')).text;
    expect(bob).toContain('/vps list');
    expect(bob).not.toContain('/vps stop');
    expect(bob).toContain('changing servers is for operators');
    const alice = (await ask('help', 'U0ALICE')).text;
    expect(alice).toContain('/vps stop');
  });

  it('lets a member of an operator user group change servers, looking the group up once', async () => {
    const fresh = await startHarness({ env: { VPS_OPERATORS: 'S0OPS' } });
    try {
      fresh.slack.setUsergroup('S0OPS', ['U0CAROL']);
      await fresh.slack.command({ text: 'start staging-01', user: 'U0CAROL' });
      await fresh.slack.waitFor('chat.postMessage');
      await fresh.quiet();
      const sent = await fresh.slack.command({ text: 'stop staging-01', user: 'U0CAROL' });
      expect(textOf(await replyTo(fresh.slack, sent.responseUrl))).toContain('Stop *staging-01*?');
      const lookups = fresh.slack.callsTo('usergroups.users.list');
      expect(lookups).toHaveLength(1);
      expect(lookups[0]?.args.usergroup).toBe('S0OPS');
      const refused = await fresh.slack.command({ text: 'stop staging-01', user: 'U0BOB' });
      expect(textOf(await replyTo(fresh.slack, refused.responseUrl))).toContain(
        'Only operators may change servers',
      );
    } finally {
      await fresh.stop();
    }
  });
});

describe('the audit trail', () => {
  it('writes one JSON line per change attempt, allowed or refused, with no token', async () => {
    const before = audits().length;
    await ask('stop web-server-01', 'U0BOB');
    const prompt = await ask('stop web-server-01', 'U0ALICE');
    await clickReply(h.slack, prompt, 'vps.confirm', 'U0ALICE');
    await h.idle();
    const lines = audits().slice(before);
    expect(lines.map((line) => [line.user, line.action, line.outcome])).toEqual([
      ['U0BOB', 'stop', 'forbidden'],
      ['U0ALICE', 'stop', 'confirmation_requested'],
      ['U0ALICE', 'stop', 'ok'],
    ]);
    expect(lines[2]).toMatchObject({
      team: 'T0001',
      channel: 'C0GENERAL',
      server_id: 12345,
      server_name: 'web-server-01',
      params: {},
      at: expect.any(String),
    });
    expect(changes()).toHaveLength(1);
  });

  it('records the error kind when VPS.org fails, and the parameters', async () => {
    h.sim.fault({ method: 'PATCH', path: '/api/v1/servers/12345/', status: 503, times: 5 });
    await ask('rename web-server-01 web-new', 'U0ALICE');
    await h.idle();
    expect(audits().at(-1)).toMatchObject({
      action: 'rename',
      params: { name: 'web-new' },
      outcome: 'unavailable',
    });
  });

  it('never writes a token or the signing secret to any log line', async () => {
    await ask('list', 'U0ALICE');
    const text = h.logText();
    expect(text.length).toBeGreaterThan(1000);
    for (const secret of [h.slack.botToken, h.slack.signingSecret, h.sim.token])
      expect(text).not.toContain(secret);
  });
});
