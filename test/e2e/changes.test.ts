import { describe, expect, it } from 'vitest';
import type { Call } from '../../src/slack-standin/index.js';
import {
  type Asked,
  ask as askVia,
  clickReply,
  type Harness,
  replyTo,
  textOf,
  useHarness,
} from './harness.js';

let h: Harness;
useHarness((started) => {
  h = started;
});

const posts = () => h.sim.requests.filter((r) => r.method !== 'GET');

const ask = (text: string, user?: string, channel?: string) => askVia(h.slack, text, user, channel);
const click = (prompt: Asked, actionId: string, user?: string) => clickReply(h.slack, prompt, actionId, user);

/** The channel card of a change, once it reaches a text. */
async function cardSays(pattern: RegExp): Promise<Call> {
  return h.slack.waitFor('chat.update', (call) => pattern.test(textOf(call)), { timeoutMs: 5000 });
}

describe('changes done in the open', () => {
  it('start: posts "@alice started" in the channel, updates it in place until active, outcome in the thread', async () => {
    await h.slack.command({ text: 'start staging-01' });
    const card = await h.slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === undefined);
    expect(card.args.channel).toBe('C0GENERAL');
    expect(textOf(card)).toContain('<@U0ALICE> started *staging-01*');
    expect(textOf(card)).toContain(':hourglass_flowing_sand: starting, started by <@U0ALICE>');
    expect(h.slack.buttons(card.args.blocks as unknown[]).map((b) => b.actionId)).not.toContain('vps.stop');
    const ts = (card.response as { ts: string }).ts;
    const settled = await cardSays(/Settled/);
    expect(settled.args.ts).toBe(ts);
    expect(textOf(settled)).toContain(':large_green_circle: active');
    const outcome = await h.slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts);
    expect(textOf(outcome)).toMatch(/staging-01\* is now :large_green_circle: active \(took \d+s\)/);
    expect(posts().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/servers/12347/start/']);
    expect(h.slack.messages('C0GENERAL')[0]?.text).toContain('(active)');
  });

  it('stop asks first; nothing reaches VPS.org until the person confirms', async () => {
    const prompt = await ask('stop web-server-01');
    expect(prompt.reply.args.response_type).toBe('ephemeral');
    expect(prompt.text).toContain('Stop *web-server-01*?');
    expect(prompt.text).toContain('expires in 10 minutes');
    expect(posts()).toEqual([]);
    await click(prompt, 'vps.confirm');
    await cardSays(/Settled: :red_circle: stopped/);
    expect(posts().map((r) => r.path)).toEqual(['/api/v1/servers/12345/stop/']);
    const answered = await replyTo(h.slack, prompt.sent.responseUrl, 1);
    expect(answered.args.replace_original).toBe(true);
    expect(textOf(answered)).toContain('Done: stop *web-server-01*');
  });

  it('reboot asks first and follows the server back to active', async () => {
    const prompt = await ask('reboot db-server-01');
    expect(prompt.text).toContain('Reboot *db-server-01*?');
    await click(prompt, 'vps.confirm');
    const card = await h.slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === undefined);
    expect(textOf(card)).toContain('<@U0ALICE> rebooted *db-server-01*');
    await cardSays(/Settled: :large_green_circle: active/);
  });

  it('Cancel sends nothing and the prompt cannot be used afterwards', async () => {
    const prompt = await ask('stop web-server-01');
    await click(prompt, 'vps.cancel');
    expect(textOf(await replyTo(h.slack, prompt.sent.responseUrl, 1))).toContain('Cancelled');
    await click(prompt, 'vps.confirm');
    expect(textOf(await replyTo(h.slack, prompt.sent.responseUrl, 2))).toContain('already answered');
    await h.idle();
    expect(posts()).toEqual([]);
  });

  it('rename, hostname and backups on go straight through with PATCH and are announced', async () => {
    await h.slack.command({ text: 'rename staging-01 staging-02' });
    const renamed = await h.slack.waitFor('chat.postMessage');
    expect(textOf(renamed)).toContain('<@U0ALICE> renamed *staging-01* to *staging-02*');
    await h.slack.command({ text: 'hostname staging-02 stage.example.com' });
    await h.slack.waitFor('chat.postMessage', (c) => textOf(c).includes('set the hostname of *staging-02*'));
    await h.slack.command({ text: 'backups staging-02 on' });
    await h.slack.waitFor('chat.postMessage', (c) =>
      textOf(c).includes('turned backups on for *staging-02*'),
    );
    await h.idle();
    expect(posts().map((r) => [r.method, r.body])).toEqual([
      ['PATCH', { name: 'staging-02' }],
      ['PATCH', { hostname: 'stage.example.com' }],
      ['PATCH', { backups_enabled: true }],
    ]);
    expect(h.sim.server(12347)).toMatchObject({
      name: 'staging-02',
      hostname: 'stage.example.com',
      backups_enabled: true,
    });
  });

  it('backups off asks for confirmation first', async () => {
    const prompt = await ask('backups db-server-01 off');
    expect(prompt.text).toContain('Turn automatic backups off for *db-server-01*?');
    expect(posts()).toEqual([]);
    await click(prompt, 'vps.confirm');
    await h.slack.waitFor('chat.postMessage', (c) => textOf(c).includes('turned backups off'));
    expect(posts()).toMatchObject([{ method: 'PATCH', body: { backups_enabled: false } }]);
  });

  it('says when there is nothing to do, and sends nothing', async () => {
    expect((await ask('stop staging-01')).text).toContain('*staging-01* is already stopped: nothing to do.');
    expect((await ask('start web-server-01')).text).toContain('is already running');
    expect((await ask('rename web-server-01 web-server-01')).text).toContain(
      'is already named web-server-01',
    );
    expect(posts()).toEqual([]);
  });

  it('refuses a conflicting change while one runs, naming who started it', async () => {
    await h.slack.command({ text: 'start staging-01', user: 'U0ALICE' });
    await h.slack.waitFor('chat.postMessage');
    const second = await ask('start staging-01', 'U0BOB');
    expect(second.text).toContain('*staging-01* is busy: starting');
    expect(second.text).toContain('started by <@U0ALICE>');
    await h.idle();
    expect(posts()).toHaveLength(1);
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    expect((await ask('rename web-server-01 bad_name!')).text).toContain('Invalid input: name must be');
    expect((await ask('hostname web-server-01 not-a-host')).text).toContain(
      'Invalid input: hostname must be',
    );
    expect((await ask('create x plan=abc os=5 location=us-west')).text).toContain(
      'plan must be a positive whole number',
    );
    expect(posts()).toEqual([]);
  });
});

describe('a change that never settles', () => {
  it('after 15 minutes says "still starting" once and stops following', async () => {
    await h.slack.command({ text: 'start staging-01' });
    const card = await h.slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === undefined);
    // VPS.org keeps it starting forever.
    h.sim.setStatus(12347, 'starting');
    h.advance(15 * 60_000 + 1000);
    const ts = (card.response as { ts: string }).ts;
    const stuck = await h.slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts);
    expect(textOf(stuck)).toMatch(
      /\*staging-01\* is still starting after 15m \d\ds\. The bot stopped following it/,
    );
    expect(textOf(await cardSays(/Still starting after/))).toContain(':warning:');
    await h.quiet();
    expect(h.bot.tracker.size).toBe(0);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts)).toHaveLength(1);
    h.sim.setStatus(12347, 'stopped');
  });
});

describe('a confirmation works once, for one person, for ten minutes', () => {
  it('a double click sends one stop', async () => {
    const prompt = await ask('stop web-server-01');
    await Promise.all([click(prompt, 'vps.confirm'), click(prompt, 'vps.confirm')]);
    await h.idle();
    expect(posts()).toHaveLength(1);
    const answers = h.slack.callsTo('response_url').slice(1).map(textOf);
    expect(answers.some((text) => text.includes('already answered'))).toBe(true);
  });

  it('a click by someone else is refused and sends nothing', async () => {
    const prompt = await ask('stop web-server-01', 'U0ALICE');
    await click(prompt, 'vps.confirm', 'U0BOB');
    const refused = await replyTo(h.slack, prompt.sent.responseUrl, 1);
    expect(textOf(refused)).toContain('Only <@U0ALICE>, who asked, can answer this');
    expect(refused.args.replace_original).toBe(false);
    await h.idle();
    expect(posts()).toEqual([]);
    // The person who asked still can.
    await click(prompt, 'vps.confirm', 'U0ALICE');
    await h.idle();
    expect(posts()).toHaveLength(1);
  });

  it('a Slack retry of the confirm click sends nothing more', async () => {
    const prompt = await ask('stop web-server-01');
    const clicked = await click(prompt, 'vps.confirm');
    await h.idle();
    const retried = await h.slack.redeliver(clicked);
    expect(retried.status).toBe(200);
    await h.idle();
    expect(posts()).toHaveLength(1);
  });

  it('expires after 10 minutes', async () => {
    const prompt = await ask('reboot web-server-01');
    h.advance(10 * 60_000 + 1000);
    await click(prompt, 'vps.confirm');
    const expired = await replyTo(h.slack, prompt.sent.responseUrl, 1);
    expect(textOf(expired)).toContain('This confirmation expired');
    expect(textOf(expired)).toContain('/vps reboot web-server-01');
    await h.idle();
    expect(posts()).toEqual([]);
  });

  it('says so instead of acting when the server changed meanwhile (already stopped)', async () => {
    const prompt = await ask('stop web-server-01');
    h.sim.setStatus(12345, 'stopped');
    await click(prompt, 'vps.confirm');
    const changed = await replyTo(h.slack, prompt.sent.responseUrl, 1);
    expect(textOf(changed)).toContain('changed since you asked: its status is now stopped (was active)');
    await h.idle();
    expect(posts()).toEqual([]);
  });

  it('says so instead of acting when the server was renamed meanwhile', async () => {
    const prompt = await ask('reboot web-server-01');
    await fetch(`${h.sim.baseUrl}/servers/12345/`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${h.sim.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'web-renamed' }),
    });
    await click(prompt, 'vps.confirm');
    expect(textOf(await replyTo(h.slack, prompt.sent.responseUrl, 1))).toContain(
      'it was renamed to web-renamed',
    );
    await h.idle();
    expect(posts()).toHaveLength(1); // the PATCH made behind the bot's back, nothing from the bot
  });

  it('says so when the server was deleted meanwhile', async () => {
    const prompt = await ask('stop web-server-01');
    h.sim.removeServer(12345);
    await click(prompt, 'vps.confirm');
    expect(textOf(await replyTo(h.slack, prompt.sent.responseUrl, 1))).toContain('no longer exists');
  });

  it('a Stop button on a card leads to the same confirmation', async () => {
    const card = await ask('show web-server-01');
    await click(card, 'vps.stop');
    const prompt = await replyTo(h.slack, card.sent.responseUrl, 1);
    expect(textOf(prompt)).toContain('Stop *web-server-01*?');
    expect(posts()).toEqual([]);
  });
});

describe('one-line create', () => {
  it('shows what it will create (plan specs, OS, location), then creates once and follows provisioning', async () => {
    const prompt = await ask(
      'create web-server-02 plan=1 os=5 location=us-west hostname=web02.example.com backups=on',
    );
    expect(prompt.text).toContain('Create *web-server-02*?');
    expect(prompt.text).toContain('Standard VPS (2 vCPU · 4 GB RAM · 80 GB disk)');
    expect(prompt.text).toContain('Ubuntu 22.04 LTS');
    expect(prompt.text).toContain('us-west');
    expect(posts()).toEqual([]);
    await click(prompt, 'vps.confirm');
    const card = await h.slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === undefined);
    expect(textOf(card)).toContain('<@U0ALICE> created *web-server-02*');
    expect(textOf(card)).toMatch(/provisioning for \d+s, started by <@U0ALICE>/);
    await cardSays(/Settled: :large_green_circle: active/);
    await click(prompt, 'vps.confirm');
    await h.idle();
    expect(posts().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/servers/']);
    expect(posts()[0]?.body).toEqual({
      name: 'web-server-02',
      plan_id: 1,
      os_id: 5,
      location: 'us-west',
      hostname: 'web02.example.com',
      backups_enabled: true,
    });
  });

  it('flags a plan the account has never shown, and lets VPS.org decide', async () => {
    const prompt = await ask('create lab-01 plan=9 os=5 location=us-west');
    expect(prompt.text).toContain('plan 9 (not seen on this account');
    await click(prompt, 'vps.confirm');
    const failed = await replyTo(h.slack, prompt.sent.responseUrl, 1);
    expect(textOf(failed)).toContain('VPS.org refused');
    expect(textOf(failed)).toContain('plan_id');
  });
});
