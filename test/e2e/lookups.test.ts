import { describe, expect, it } from 'vitest';
import { limitViolations } from '../../src/slack/blocks/check.js';
import { ask as askVia, clickReply, type Harness, replyTo, textOf, useHarness } from './harness.js';

let h: Harness;
useHarness((started) => {
  h = started;
});

const ask = (text: string, user?: string) => askVia(h.slack, text, user);

describe('lookups answer only the person who asked', () => {
  it('help lists the commands', async () => {
    const { reply, text } = await ask('help');
    expect(reply.args.response_type).toBe('ephemeral');
    for (const command of [
      '/vps list',
      '/vps show',
      '/vps create',
      '/vps stop',
      '/vps delete',
      '/vps edit',
    ]) {
      expect(text).toContain(command);
    }
  });

  it('an empty /vps shows help', async () => {
    expect((await ask('')).text).toContain('/vps list');
  });

  it('list shows every server, the filter and the count, with Share in channel', async () => {
    const { reply, text, blocks } = await ask('list');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(text).toContain('all servers · 3 servers');
    for (const name of ['web-server-01', 'db-server-01', 'staging-01']) expect(text).toContain(name);
    expect(h.slack.buttons(blocks).map((b) => b.actionId)).toContain('vps.share');
    expect(limitViolations(reply.args)).toEqual([]);
  });

  it('list filters by a bare status word and by location', async () => {
    const stopped = await ask('list stopped');
    expect(stopped.text).toContain('status=stopped · 1 server');
    expect(stopped.text).toContain('staging-01');
    expect(stopped.text).not.toContain('web-server-01');
    expect(h.sim.requests.at(-1)?.query).toEqual({ status: 'stopped' });
    const east = await ask('list location=us-east');
    expect(east.text).toContain('location=us-east · 1 server');
    expect(east.text).toContain('db-server-01');
  });

  it('list refuses a word that is not a status, suggesting one', async () => {
    const { text } = await ask('list stoped');
    expect(text).toContain('`stoped` is not a status');
    expect(text).toContain('list stopped');
    expect(h.sim.requests).toEqual([]);
  });

  it('pages beyond Slack limits with Next and Previous', async () => {
    h.sim.addServers(70);
    const first = await ask('list');
    expect(first.text).toContain('73 servers · page 1 of 3');
    expect(limitViolations(first.reply.args)).toEqual([]);
    const next = await clickReply(h.slack, first, 'vps.page.next');
    expect(next.status).toBe(200);
    const page2 = await replyTo(h.slack, first.sent.responseUrl, 1);
    expect(page2.args.replace_original).toBe(true);
    expect(textOf(page2)).toContain('page 2 of 3');
    const actions = h.slack.buttons(page2.args.blocks as unknown[]).map((b) => b.actionId);
    expect(actions).toEqual(expect.arrayContaining(['vps.page.previous', 'vps.page.next']));
    expect(limitViolations(page2.args)).toEqual([]);
  });

  it('show finds a server by ID, exact name and exact hostname, with every detail', async () => {
    for (const ref of ['12345', 'web-server-01', 'web01.example.com']) {
      const { text, blocks, reply } = await ask(`show ${ref}`);
      expect(text).toContain('web-server-01');
      expect(text).toContain('203.0.113.10');
      expect(text).toMatch(/2001:0?db8::/);
      expect(text).toContain('Standard VPS (2 vCPU · 4 GB RAM · 80 GB disk · 2 TB bandwidth)');
      expect(text).toContain('Resource usage');
      const actions = h.slack.buttons(blocks).map((b) => b.actionId);
      expect(actions).toEqual([
        'vps.stop',
        'vps.reboot',
        'vps.refresh',
        'vps.edit',
        'vps.delete',
        'vps.share',
      ]);
      expect(limitViolations(reply.args)).toEqual([]);
    }
  });

  it('info and status are aliases of show; a stopped server offers Start', async () => {
    const { blocks } = await ask('info staging-01');
    expect(h.slack.buttons(blocks).map((b) => b.actionId)).toEqual([
      'vps.start',
      'vps.refresh',
      'vps.edit',
      'vps.delete',
      'vps.share',
    ]);
    expect((await ask('status staging-01')).text).toContain('stopped');
  });

  it('two servers with one name: lists both and asks for the ID', async () => {
    const twin = h.sim.addServer({ name: 'web-server-01', hostname: 'web99.example.com' });
    const { text } = await ask('show web-server-01');
    expect(text).toContain('2 servers match `web-server-01`');
    expect(text).toContain('12345');
    expect(text).toContain(String(twin.id));
  });

  it('no match: says so and suggests the nearest names', async () => {
    const { text } = await ask('show web-server-1');
    expect(text).toContain('No server matches `web-server-1`');
    expect(text).toContain('Did you mean *web-server-01*');
  });

  it('an unknown subcommand: the nearest command and help', async () => {
    const { text } = await ask('strat web-server-01');
    expect(text).toContain('There is no `/vps strat` command');
    expect(text).toContain('Did you mean `/vps start`');
    expect(text).toContain('/vps list');
    expect(h.sim.requests).toEqual([]);
  });

  it('Share in channel posts the card for everyone, saying who shared it', async () => {
    const { blocks, sent } = await ask('show db-server-01');
    await h.slack.click({
      message: { channel: 'C0GENERAL', blocks, responseUrl: sent.responseUrl, ephemeral: true },
      actionId: 'vps.share',
      user: 'U0ALICE',
    });
    const shared = await replyTo(h.slack, sent.responseUrl, 1);
    expect(shared.args.response_type).toBe('in_channel');
    expect(textOf(shared)).toContain('db-server-01');
    expect(textOf(shared)).toContain('Shared by <@U0ALICE>');
  });

  it('Refresh redraws an ephemeral card in place with fresh data', async () => {
    const { blocks, sent } = await ask('show staging-01');
    h.sim.setStatus(12347, 'active');
    await h.slack.click({
      message: { channel: 'C0GENERAL', blocks, responseUrl: sent.responseUrl, ephemeral: true },
      actionId: 'vps.refresh',
    });
    const refreshed = await replyTo(h.slack, sent.responseUrl, 1);
    expect(refreshed.args.replace_original).toBe(true);
    expect(textOf(refreshed)).toContain(':large_green_circle: active');
  });

  it('escapes every string from VPS.org: no API value can ping a channel or forge a link', async () => {
    h.sim.addServer({
      name: 'evil',
      hostname: '<!channel>.example.com',
      location: '<http://phish.example|click me> & more',
    });
    const { text } = await ask('show evil');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<http://phish');
    expect(text).toContain('&lt;!channel&gt;.example.com');
    expect(text).toContain('&lt;http://phish.example|click me&gt; &amp; more');
    const listed = await ask('list');
    expect(listed.text).not.toContain('<!channel>');
  });
});
