import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { clientState } from '../../src/playground/client-state.js';
import { PlaygroundFiles } from '../../src/playground/files.js';
import { ControlError, VpsPanel } from '../../src/playground/vps-panel.js';
import { furnish } from '../../src/playground/workspace.js';
import { Simulator } from '../../src/simulator/index.js';
import { SlackStandin } from '../../src/slack-standin/index.js';

const COMMAND = { name: '/vps', description: '', usageHint: '' };
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'playground-unit-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function standin(): Promise<SlackStandin> {
  const slack = new SlackStandin();
  await slack.listen();
  cleanup.push(() => slack.close());
  furnish(slack);
  return slack;
}

async function post(url: string, body: unknown): Promise<void> {
  await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('what one person sees', () => {
  it('their own ephemeral messages among the channel messages, in order; nobody else\u2019s', async () => {
    const slack = await standin();
    const alice = slack.prepareCommand({ text: 'list', user: 'U0ALICE', channel: 'C0OPS' });
    await post(alice.responseUrl, { text: 'for Alice' });
    const bob = slack.prepareCommand({ text: 'list', user: 'U0BOB', channel: 'C0OPS' });
    await post(bob.responseUrl, { text: 'for Bob' });
    await post(bob.responseUrl, { text: 'for everyone', response_type: 'in_channel' });
    const vps = { kind: 'external' as const, url: 'https://vps.example' };
    const seenBy = (user: string) =>
      clientState(slack, user, vps, COMMAND).messages.C0OPS?.map((m) => [m.text, m.ephemeral]);
    expect(seenBy('U0ALICE')).toEqual([
      ['for Alice', true],
      ['for everyone', false],
    ]);
    expect(seenBy('U0BOB')).toEqual([
      ['for Bob', true],
      ['for everyone', false],
    ]);
  });

  it('their own DM with the bot, and their own modals', async () => {
    const slack = await standin();
    const state = clientState(slack, 'U0CAROL', { kind: 'external', url: '' }, COMMAND);
    expect(state.channels.map((c) => [c.id, c.name, c.kind])).toEqual([
      ['C0OPS', 'ops', 'channel'],
      ['C0GENERAL', 'general', 'channel'],
      ['D0CAROL', 'vps-bot', 'dm'],
    ]);
    expect(state.modals).toEqual([]);
    expect(state.people.map((p) => p.initials)).toEqual(['AO', 'BV', 'CG']);
  });
});

describe('the VPS.org panel', () => {
  it('changes a status behind the bot\u2019s back, adds servers by count or name, and resets', () => {
    const sim = new Simulator({ settleMs: 50 });
    const panel = new VpsPanel(sim);
    panel.apply({ action: 'status', id: 12345, status: 'stopped' });
    expect(sim.server(12345)?.status).toBe('stopped');
    panel.apply({ action: 'add', count: 3 });
    panel.apply({ action: 'add', count: 1 });
    panel.apply({ action: 'add-named', name: '<b>odd</b>' });
    expect(
      sim
        .servers()
        .map((s) => s.name)
        .slice(3),
    ).toEqual(['app-001', 'app-002', 'app-003', 'app-004', '<b>odd</b>']);
    expect(() => panel.apply({ action: 'add', count: 501 })).toThrow(ControlError);
    expect(() => panel.apply({ action: 'status', id: 1, status: 'active' })).toThrow('There is no server 1.');
    panel.apply({ action: 'balance', ok: false });
    panel.apply({ action: 'failing', mode: 'errors' });
    expect(panel.state()).toMatchObject({ balanceOk: false, failing: 'errors' });
    panel.apply({ action: 'reset' });
    expect(panel.state()).toMatchObject({ balanceOk: true, failing: 'none' });
    expect(sim.servers()).toHaveLength(3);
  });

  it('makes VPS.org fail or hang until switched back', async () => {
    const sim = new Simulator();
    await sim.listen();
    cleanup.push(() => sim.close());
    const panel = new VpsPanel(sim);
    const get = () => fetch(`${sim.baseUrl}/servers/`, { headers: { Authorization: `Bearer ${sim.token}` } });
    panel.apply({ action: 'failing', mode: 'errors' });
    expect((await get()).status).toBe(503);
    expect((await get()).status).toBe(503);
    panel.apply({ action: 'failing', mode: 'none' });
    expect((await get()).status).toBe(200);
  });

  it('restores a saved fleet; a server caught mid-transition settles as it would have', async () => {
    const sim = new Simulator({ settleMs: 30 });
    const panel = new VpsPanel(sim);
    panel.apply({ action: 'add-named', name: 'kept' });
    panel.apply({ action: 'status', id: 12346, status: 'stopping' });
    panel.apply({ action: 'balance', ok: false });
    const saved = JSON.parse(JSON.stringify(panel.snapshot()));

    // Its clock runs ahead on demand: the transition settles when the test moves time on.
    let ahead = 0;
    const again = new Simulator({ settleMs: 30, clock: () => Date.now() + ahead });
    const restored = new VpsPanel(again);
    restored.restore(saved);
    expect(again.servers().map((s) => s.name)).toEqual([
      'web-server-01',
      'db-server-01',
      'staging-01',
      'kept',
    ]);
    expect(restored.state()).toMatchObject({ balanceOk: false });
    ahead += 60;
    expect(again.server(12346)?.status).toBe('stopped');
  });
});

describe('the playground\u2019s files', () => {
  const logger = createLogger({ level: 'error', secrets: [], write: () => undefined });

  it('keep the workspace and the fleet across a restart', async () => {
    const dir = tempDir();
    const slack = await standin();
    const sim = new Simulator();
    const panel = new VpsPanel(sim);
    const files = new PlaygroundFiles(dir, logger);
    await files.load(slack, panel, Date.now());
    await post(`${slack.apiUrl}chat.postMessage`, { token: slack.botToken, channel: 'C0OPS', text: 'kept' });
    panel.apply({ action: 'add-named', name: 'kept-server' });
    files.saveSlack();
    files.saveVps();
    await files.flush();

    const slackAgain = await standin();
    const panelAgain = new VpsPanel(new Simulator());
    await new PlaygroundFiles(dir, logger).load(slackAgain, panelAgain, Date.now());
    expect(slackAgain.messages('C0OPS')).toMatchObject([{ text: 'kept' }]);
    expect(panelAgain.snapshot().servers.map((s) => s.name)).toContain('kept-server');
  });

  it('set a damaged file aside and start afresh', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'slack-workspace.json'), '{"version": 1, "ids": 3');
    const slack = await standin();
    await new PlaygroundFiles(dir, logger).load(slack, undefined, Date.now());
    expect(slack.messages('C0OPS')).toEqual([]);
    const aside = readdirSync(dir).filter((name) => name.startsWith('slack-workspace.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0] ?? ''), 'utf8')).toContain('"ids": 3');
  });
});
