import { describe, expect, it } from 'vitest';
import { limitViolations } from '../../src/slack/blocks/check.js';
import type { Call, StoredView } from '../../src/slack-standin/index.js';
import { type Harness, textOf, useHarness } from './harness.js';

const OPS = 'C0OPS';
const WINDOW_MS = 200;

let h: Harness;
useHarness(
  (started) => {
    h = started;
  },
  {
    env: {
      // One person a test: a Home tab published moments ago is fresh, and opening it again publishes nothing.
      VPS_OPERATORS: 'U0ALICE,U0BOB,U0CAROL,U0DAVE,U0GINA,U0HANK,U0JACK',
      VPS_NOTIFY_CHANNEL: OPS,
      VPS_WATCH_SECONDS: '0.1',
      VPS_APPROVAL_REQUIRED: 'reboot',
    },
    homeWindowMs: WINDOW_MS,
  },
);

const posts = () => h.sim.requests.filter((r) => r.method !== 'GET');
const publishes = (user: string) => h.slack.callsTo('views.publish').filter((c) => c.args.user_id === user);
const viewText = (view: StoredView | undefined) => textOf({ args: { view } });

/** Opens the person's Home tab and waits for the view the bot publishes for it. */
async function openHome(user: string): Promise<StoredView> {
  const before = publishes(user).length;
  await h.slack.openHome(user);
  await h.slack.waitForCount('views.publish', before + 1, (c) => c.args.user_id === user);
  const view = h.slack.homeView(user);
  if (!view) throw new Error('no Home view');
  expect(limitViolations(view)).toEqual([]);
  return view;
}

/** The first Home view published for `user` from now on whose text matches. */
async function homeSays(user: string, pattern: RegExp, timeoutMs = 5000): Promise<Call> {
  return h.slack.waitFor('views.publish', (c) => c.args.user_id === user && pattern.test(textOf(c)), {
    timeoutMs,
  });
}

describe('App Home', () => {
  it('is published when opened: fleet by status and location, role, sections, within limits', async () => {
    const view = await openHome('U0ALICE');
    const text = viewText(view);
    expect(view.type).toBe('home');
    expect(text).toContain('*Fleet*: 3 servers');
    expect(text).toContain(':large_green_circle: active 2 · :red_circle: stopped 1');
    expect(text).toContain('`eu-central` 1 · `us-east` 1 · `us-west` 1');
    expect(text).toContain('You are an operator: you may change servers.');
    expect(text).toContain('*In transition*: nothing.');
    expect(text).toContain('*Scheduled*: nothing.');
    const looker = viewText(await openHome('U0EVE'));
    expect(looker).toContain('You may look; changing servers is for operators.');
    expect(
      h.slack.buttons(h.slack.homeView('U0EVE')?.blocks as unknown[]).map((b) => b.actionId),
    ).not.toContain('vps.stop');
  });

  it('opening it again while it is fresh, or a retried delivery, publishes nothing more', async () => {
    await openHome('U0FRED');
    const sent = await h.slack.openHome('U0FRED');
    await h.slack.redeliverEvent(sent);
    await h.idle();
    expect(publishes('U0FRED')).toHaveLength(1);
  });

  it('refreshes after a change it shows, coalesced to one publish a window', async () => {
    await openHome('U0CAROL');
    const from = Date.now();
    await h.slack.command({ text: 'start staging-01', user: 'U0BOB' });
    await homeSays('U0CAROL', /\*staging-01\* · starting for .*started by <@U0BOB>/);
    await homeSays('U0CAROL', /<@U0BOB> · \*start\* staging-01 · :white_check_mark: done/);
    await h.quiet();
    await homeSays('U0CAROL', /:large_green_circle: active 3/);
    const took = Date.now() - from;
    expect(publishes('U0CAROL').length - 1).toBeLessThanOrEqual(Math.ceil(took / WINDOW_MS) + 1);
  });

  it('a 200-server fleet changing at once is no storm: a few publishes, the last one right', async () => {
    const bulk = h.sim.addServers(200, { status: 'active', location: 'eu-central' });
    await openHome('U0DAVE');
    // The fleet watch has taken its look at the 203 servers once it lists them again.
    const from = h.sim.requests.length;
    await h.sim.waitForRequest((r) => r.method === 'GET' && h.sim.requests.indexOf(r) >= from);
    const before = publishes('U0DAVE').length;
    const started = Date.now();
    for (const server of bulk) h.sim.setStatus(server.id, 'stopped');
    await h.slack.waitForCount('chat.postMessage', 200, (c) => c.args.channel === OPS, { timeoutMs: 15_000 });
    await homeSays('U0DAVE', /:red_circle: stopped 201/, 10_000);
    await h.idle();
    const storm = publishes('U0DAVE').length - before;
    const took = Date.now() - started;
    expect(storm).toBeGreaterThanOrEqual(1);
    expect(storm).toBeLessThanOrEqual(Math.ceil(took / WINDOW_MS) + 2);
    // One a window, not one a change: far fewer than the 200 notices the channel got.
    expect(storm).toBeLessThan(bulk.length / 4);
    const last = h.slack.homeView('U0DAVE');
    expect(limitViolations(last ?? {})).toEqual([]);
  });

  it('pages the servers with Previous and Next', async () => {
    h.sim.addServers(40, { status: 'stopped' });
    const first = await openHome('U0BOB');
    expect(viewText(first)).toContain('page 1 of 3');
    await h.slack.click({ view: first, actionId: 'vps.home.page.next', user: 'U0BOB' });
    await homeSays('U0BOB', /page 2 of 3/);
    const second = h.slack.homeView('U0BOB');
    if (!second) throw new Error('no Home view');
    await h.slack.click({ view: second, actionId: 'vps.home.page.previous', user: 'U0BOB' });
    await homeSays('U0BOB', /page 1 of 3/);
  });

  it('a tampered page button shows the first page, never a page between pages', async () => {
    h.sim.addServers(40, { status: 'stopped' });
    const first = await openHome('U0HANK');
    for (const value of ['1.5', '2.5e0', ' 2', '0x2']) {
      const blocks = JSON.parse(
        JSON.stringify(first.blocks).replace('"value":"2"', `"value":${JSON.stringify(value)}`),
      );
      const before = publishes('U0HANK').length;
      await h.slack.click({ view: { ...first, blocks }, actionId: 'vps.home.page.next', user: 'U0HANK' });
      await h.slack.waitForCount('views.publish', before + 1, (c) => c.args.user_id === 'U0HANK');
      const text = viewText(h.slack.homeView('U0HANK'));
      expect(text, value).toContain('page 1 of 3');
      expect(limitViolations(h.slack.homeView('U0HANK') ?? {})).toEqual([]);
    }
  });

  it('its buttons work like the cards’: Start acts, Stop asks first (answers go to the notify channel)', async () => {
    const home = await openHome('U0GINA');
    await h.slack.click({ view: home, actionId: 'vps.start', value: '12347', user: 'U0GINA' });
    const card = await h.slack.waitFor('chat.postMessage', (c) => /started \*staging-01\*/.test(textOf(c)));
    expect(card.args.channel).toBe(OPS);
    expect(textOf(card)).toContain('<@U0GINA> started *staging-01*');

    await h.slack.click({ view: home, actionId: 'vps.stop', value: '12345', user: 'U0GINA' });
    const prompt = await h.slack.waitFor('chat.postEphemeral', (c) =>
      /Stop \*web-server-01\*\?/.test(textOf(c)),
    );
    expect(prompt.args).toMatchObject({ channel: OPS, user: 'U0GINA' });
    expect(posts().map((r) => r.path)).toEqual(['/api/v1/servers/12347/start/']);
    await h.slack.click({
      message: { channel: OPS, blocks: prompt.args.blocks as unknown[], ephemeral: true },
      actionId: 'vps.confirm',
      user: 'U0GINA',
    });
    await h.slack.waitFor('chat.postMessage', (c) => /stopped \*web-server-01\*/.test(textOf(c)));
    await h.quiet();
    expect(posts().map((r) => r.path)).toEqual([
      '/api/v1/servers/12347/start/',
      '/api/v1/servers/12345/stop/',
    ]);
  });

  it('Show answers in the person’s DM when the notify channel will not take it', async () => {
    h.slack.setChannelMembership(OPS, false);
    const home = await openHome('U0IVY');
    await h.slack.click({ view: home, actionId: 'vps.show.12345', value: '12345', user: 'U0IVY' });
    const card = await h.slack.waitFor(
      'chat.postEphemeral',
      (c) => c.args.user === 'U0IVY' && /web-server-01/.test(textOf(c)) && (c.response as { ok: boolean }).ok,
    );
    expect(card.args.channel).toBe('D0IVY');
  });

  it('shows approvals waiting for an operator, who can approve from there', async () => {
    await openHome('U0HANK');
    await h.slack.command({ text: 'reboot web-server-01', user: 'U0JACK' });
    const prompt = await h.slack.waitFor('response_url');
    await h.slack.click({
      message: {
        channel: 'C0GENERAL',
        blocks: prompt.args.blocks as unknown[],
        responseUrl: String(prompt.args.url),
        ephemeral: true,
      },
      actionId: 'vps.confirm',
      user: 'U0JACK',
    });
    await homeSays('U0HANK', /Waiting for your approval\* \(1\)/);
    const own = await openHome('U0JACK');
    expect(viewText(own)).not.toContain('Waiting for your approval');
    const home = h.slack.homeView('U0HANK');
    if (!home) throw new Error('no Home view');
    await h.slack.click({ view: home, actionId: 'vps.approve', user: 'U0HANK' });
    const card = await h.slack.waitFor('chat.postMessage', (c) =>
      /rebooted \*web-server-01\*/.test(textOf(c)),
    );
    expect(textOf(card)).toContain('<@U0JACK> rebooted *web-server-01*, approved by <@U0HANK>');
    expect(card.args.channel).toBe('C0GENERAL');
    await h.slack.waitFor(
      'chat.postEphemeral',
      (c) => c.args.user === 'U0HANK' && /Approved/.test(textOf(c)),
    );
    await h.quiet();
    expect(posts().map((r) => r.path)).toEqual(['/api/v1/servers/12345/reboot/']);
  });
});
