import { describe, expect, it } from 'vitest';
import { type Call, textValue } from '../../src/slack-standin/index.js';
import {
  type Asked,
  ask as askVia,
  clickPosted,
  clickReply,
  type Harness,
  replyTo,
  textOf,
  useHarness,
} from './harness.js';

let h: Harness;
useHarness(
  (started) => {
    h = started;
  },
  {
    env: {
      VPS_OPERATORS: 'U0ALICE,U0BOB,U0CAROL',
      VPS_APPROVAL_REQUIRED: 'stop,delete',
    },
  },
);

const posts = () => h.sim.requests.filter((r) => r.method !== 'GET');
const ask = (text: string, user?: string) => askVia(h.slack, text, user);
const click = (prompt: Asked, actionId: string, user?: string) => clickReply(h.slack, prompt, actionId, user);

/** Asks for a stop, confirms it, and returns the approval request the channel got. */
async function requestStop(server = 'web-server-01'): Promise<{ prompt: Asked; request: Call }> {
  const prompt = await ask(`stop ${server}`);
  await click(prompt, 'vps.confirm');
  const request = await h.slack.waitFor('chat.postMessage', (c) =>
    /asks for a second operator/.test(textOf(c)),
  );
  return { prompt, request };
}

/** Clicks Approve or Reject on the approval request as it was posted (someone may still see it). */
const clickRequest = (request: Call, actionId: 'vps.approve' | 'vps.reject', user: string) =>
  clickPosted(h, request, actionId, user);

const ephemeralTo = async (clicked: { responseUrl?: string }, index = 0) =>
  textOf(await replyTo(h.slack, clicked.responseUrl as string, index));

describe('two-person approval', () => {
  it('the requester’s confirmation posts an approval request, and nothing reaches VPS.org', async () => {
    const { prompt, request } = await requestStop();
    expect(request.args.channel).toBe('C0GENERAL');
    const text = textOf(request);
    expect(text).toContain('<@U0ALICE> asks for a second operator’s approval: stop *web-server-01*');
    expect(text).toContain('Any operator but <@U0ALICE> may answer, once');
    expect(h.slack.buttons(request.args.blocks as unknown[]).map((b) => b.actionId)).toEqual([
      'vps.approve',
      'vps.reject',
    ]);
    expect(textOf(await replyTo(h.slack, prompt.sent.responseUrl, 1))).toContain(
      'This needs a second operator',
    );
    await h.idle();
    expect(posts()).toEqual([]);
  });

  it('refuses the requester and a non-operator; a second operator approves once; a second Approve does nothing', async () => {
    const { request } = await requestStop();
    const own = await clickRequest(request, 'vps.approve', 'U0ALICE');
    expect(await ephemeralTo(own)).toContain('You asked for this yourself');
    const stranger = await clickRequest(request, 'vps.approve', 'U0EVE');
    expect(await ephemeralTo(stranger)).toContain('Only operators may approve or reject');
    expect(posts()).toEqual([]);

    const approved = await clickRequest(request, 'vps.approve', 'U0BOB');
    const card = await h.slack.waitFor('chat.postMessage', (c) =>
      /stopped \*web-server-01\*/.test(textOf(c)),
    );
    expect(textOf(card)).toContain('<@U0ALICE> stopped *web-server-01*, approved by <@U0BOB>');
    expect(await ephemeralTo(approved)).toContain('Approved.');
    const shown = await h.slack.waitFor(
      'chat.update',
      (c) => c.args.ts === (request.response as { ts: string }).ts,
    );
    expect(textOf(shown)).toContain('Approved by <@U0BOB>');
    expect(h.slack.buttons(shown.args.blocks as unknown[])).toEqual([]);

    const again = await clickRequest(request, 'vps.approve', 'U0CAROL');
    expect(await ephemeralTo(again)).toContain('already approved by <@U0BOB>');
    await h.quiet();
    expect(posts().map((r) => r.path)).toEqual(['/api/v1/servers/12345/stop/']);
    const [done] = (await h.store.recentAudit(10)).filter((e) => e.outcome === 'ok');
    expect(done).toMatchObject({ user: 'U0ALICE', approvedBy: 'U0BOB', action: 'stop', serverId: 12345 });
    const history = await ask('history web-server-01');
    expect(history.text).toContain('approved by <@U0BOB>');
  });

  it('a Slack retry of the Approve click does nothing twice', async () => {
    const { request } = await requestStop();
    const approved = await clickRequest(request, 'vps.approve', 'U0BOB');
    await h.slack.redeliver(approved);
    await h.quiet();
    expect(posts()).toHaveLength(1);
  });

  it('Reject sends nothing; the request says who rejected it', async () => {
    const { request } = await requestStop();
    const rejected = await clickRequest(request, 'vps.reject', 'U0BOB');
    expect(await ephemeralTo(rejected)).toContain('Rejected. Nothing was sent to VPS.org');
    const shown = await h.slack.waitFor('chat.update', (c) => /Rejected by <@U0BOB>/.test(textOf(c)));
    expect(shown.args.ts).toBe((request.response as { ts: string }).ts);
    const late = await clickRequest(request, 'vps.approve', 'U0CAROL');
    expect(await ephemeralTo(late)).toContain('already rejected');
    expect(posts()).toEqual([]);
  });

  it('after VPS_APPROVAL_SECONDS an Approve changes nothing and the request says it expired', async () => {
    const { request } = await requestStop();
    h.advance(30 * 60_000);
    const late = await clickRequest(request, 'vps.approve', 'U0BOB');
    expect(await ephemeralTo(late)).toContain('This approval request expired');
    await h.slack.waitFor('chat.update', (c) => /Expired/.test(textOf(c)));
    expect(posts()).toEqual([]);
  });

  it('a server that changed while waiting is not touched: the approver is told', async () => {
    const { request } = await requestStop();
    h.sim.setStatus(12345, 'stopped');
    const approved = await clickRequest(request, 'vps.approve', 'U0BOB');
    expect(await ephemeralTo(approved)).toContain('changed since it was asked: its status is now stopped');
    const thread = await h.slack.waitFor('chat.postMessage', (c) => c.args.thread_ts !== undefined);
    expect(textOf(thread)).toContain('Nothing was sent to VPS.org');
    expect(posts()).toEqual([]);
  });

  it('delete: the requester types the name first, then a second operator approves', async () => {
    await h.slack.command({ text: 'delete staging-01' });
    const filled = await h.slack.waitFor('views.update', (c) =>
      /Type staging-01 to delete it/.test(textOf(c)),
    );
    const viewId = String(filled.args.view_id);
    const view = h.slack.view(viewId);
    if (!view) throw new Error('no delete view');
    await h.slack.submitView({ view, values: { confirm_name: { value: textValue('staging-01') } } });
    const request = await h.slack.waitFor('chat.postMessage', (c) =>
      /asks for a second operator/.test(textOf(c)),
    );
    expect(textOf(request)).toContain('delete *staging-01*');
    await h.slack.waitFor(
      'views.update',
      (c) => c.args.view_id === viewId && /second operator/.test(textOf(c)),
    );
    expect(posts()).toEqual([]);
    await clickRequest(request, 'vps.approve', 'U0CAROL');
    await h.slack.waitFor('chat.postMessage', (c) =>
      /deleted \*staging-01\*, approved by <@U0CAROL>/.test(textOf(c)),
    );
    expect(posts().map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api/v1/servers/12347/']);
  });

  it('a scheduled stop is approved before it is scheduled; at its time it runs, naming both', async () => {
    const prompt = await ask('stop web-server-01 in 1h');
    await click(prompt, 'vps.confirm');
    const request = await h.slack.waitFor('chat.postMessage', (c) =>
      /asks for a second operator/.test(textOf(c)),
    );
    expect(textOf(request)).toMatch(/approval: Stop \*web-server-01\* at .*<!date\^\d+\^/);
    expect(await h.store.schedulesIn(['pending'])).toEqual([]);
    const approved = await clickRequest(request, 'vps.approve', 'U0BOB');
    expect(await ephemeralTo(approved)).toContain('Approved. :alarm_clock: Scheduled: stop *web-server-01*');
    expect(await h.store.schedulesIn(['pending'])).toMatchObject([{ approvedBy: 'U0BOB', action: 'stop' }]);
    h.advance(60 * 60_000);
    await h.bot.scheduler.tick();
    const card = await h.slack.waitFor('chat.postMessage', (c) =>
      /stopped \*web-server-01\*/.test(textOf(c)),
    );
    expect(textOf(card)).toContain(
      '<@U0ALICE> stopped *web-server-01*, approved by <@U0BOB>, as scheduled for',
    );
    await h.quiet();
    expect(posts().map((r) => r.path)).toEqual(['/api/v1/servers/12345/stop/']);
  });

  it('actions not named in VPS_APPROVAL_REQUIRED go through as before', async () => {
    const prompt = await ask('reboot web-server-01');
    await click(prompt, 'vps.confirm');
    await h.slack.waitFor('chat.postMessage', (c) => /rebooted \*web-server-01\*/.test(textOf(c)));
    expect(posts()).toHaveLength(1);
  });
});
