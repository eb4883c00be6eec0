import { describe, expect, it } from 'vitest';
import { limitViolations } from '../../src/slack/blocks/check.js';
import { checkboxesValue, selectValue, textValue } from '../../src/slack-standin/index.js';
import { type Harness, replyTo, textOf, useHarness } from './harness.js';

let h: Harness;
useHarness((started) => {
  h = started;
});

const changes = () => h.sim.requests.filter((r) => r.method !== 'GET');

/** The modal a command or click opened, once the bot has filled it (views.update after the loading view). */
async function openedView(title: string) {
  const update = await h.slack.waitFor('views.update', (c) => JSON.stringify(c.args.view).includes(title));
  const view = h.slack.view(String(update.args.view_id));
  if (!view) throw new Error('view not found');
  expect(limitViolations(view)).toEqual([]);
  return view;
}

/** The modal's content after the bot's follow-up views.update (e.g. the review step or the outcome). */
async function viewAfter(viewId: string, pattern: RegExp) {
  await h.slack.waitFor('views.update', (c) => c.args.view_id === viewId && pattern.test(textOf(c)));
  const view = h.slack.view(viewId);
  if (!view) throw new Error('view not found');
  expect(limitViolations(view)).toEqual([]);
  return view;
}

describe('delete asks to type the server name', () => {
  it('opens a modal at once, refuses a wrong name, deletes once with the right one', async () => {
    await h.slack.command({ text: 'delete staging-01' });
    const open = await h.slack.waitFor('views.open');
    expect(textOf(open)).toContain('Reading staging-01');
    const view = await openedView('Type staging-01 to delete it');
    const wrong = await h.slack.submitView({
      view,
      values: { confirm_name: { value: textValue('staging-1') } },
    });
    expect(wrong.json).toMatchObject({
      response_action: 'errors',
      errors: { confirm_name: expect.stringContaining('Type staging-01 exactly') },
    });
    await h.idle();
    expect(changes()).toEqual([]);
    const right = await h.slack.submitView({
      view,
      values: { confirm_name: { value: textValue('staging-01') } },
    });
    expect(right.json).toMatchObject({ response_action: 'update' });
    const done = await viewAfter(view.id, /Done: delete/);
    expect(textOf({ args: done })).toContain('staging-01');
    const card = await h.slack.waitFor('chat.postMessage');
    expect(textOf(card)).toContain('<@U0ALICE> deleted *staging-01*');
    expect(textOf(card)).toContain('no longer exists');
    expect(changes().map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api/v1/servers/12347/']);
    // The same modal submitted again deletes nothing more.
    await h.slack.submitView({ view, values: { confirm_name: { value: textValue('staging-01') } } });
    await viewAfter(view.id, /already answered/);
    expect(changes()).toHaveLength(1);
  });

  it('the Delete button on a card leads to the same modal', async () => {
    const sent = await h.slack.command({ text: 'show db-server-01' });
    const card = await replyTo(h.slack, sent.responseUrl);
    await h.slack.click({
      message: {
        channel: 'C0GENERAL',
        blocks: card.args.blocks as unknown[],
        responseUrl: sent.responseUrl,
        ephemeral: true,
      },
      actionId: 'vps.delete',
    });
    await openedView('Type db-server-01 to delete it');
    expect(changes()).toEqual([]);
  });
});

describe('edit', () => {
  it('is prefilled, shows what changes, and saves with PUT', async () => {
    await h.slack.command({ text: 'edit web-server-01' });
    const form = await openedView('Edit server');
    const inputs = JSON.stringify(form.blocks);
    expect(inputs).toContain('"initial_value":"web-server-01"');
    expect(inputs).toContain('"initial_value":"web01.example.com"');
    const submitted = await h.slack.submitView({
      view: form,
      values: {
        name: { value: textValue('web-server-01') },
        hostname: { value: textValue('www.example.com') },
        backups: { value: checkboxesValue(['on']) },
      },
    });
    expect(submitted.json).toMatchObject({ response_action: 'update' });
    const review = await viewAfter(form.id, /Save these changes/);
    const said = textOf({ args: review });
    expect(said).toContain('Hostname: `web01.example.com` → `www.example.com`');
    expect(said).not.toContain('Name:');
    expect(changes()).toEqual([]);
    await h.slack.submitView({ view: review });
    await viewAfter(form.id, /Done: edit/);
    await h.slack.waitFor('chat.postMessage', (c) => textOf(c).includes('<@U0ALICE> edited *web-server-01*'));
    expect(changes()).toMatchObject([
      { method: 'PUT', body: { name: 'web-server-01', hostname: 'www.example.com', backups_enabled: true } },
    ]);
  });

  it('refuses an invalid name in the form itself', async () => {
    await h.slack.command({ text: 'edit web-server-01' });
    const form = await openedView('Edit server');
    const submitted = await h.slack.submitView({
      view: form,
      values: {
        name: { value: textValue('no spaces please') },
        hostname: { value: textValue('web01.example.com') },
      },
    });
    expect(submitted.json).toMatchObject({
      response_action: 'errors',
      errors: { name: expect.stringContaining('name must be') },
    });
  });

  it('a form whose private_metadata names no server (tampered or broken) is no longer valid; nothing sent', async () => {
    await h.slack.command({ text: 'edit web-server-01' });
    const form = await openedView('Edit server');
    const origin = JSON.parse(String(form.private_metadata ?? '{}')) as Record<string, unknown>;
    await h.idle();
    h.sim.clearRequests();
    const broken = [
      'garbage',
      '{}',
      'null',
      '[]',
      ...[-1, 0, 1.5, 2 ** 53, '12345'].map((s) => JSON.stringify({ ...origin, s })),
    ];
    for (const metadata of broken) {
      const submitted = await h.slack.submitView({
        view: { ...form, private_metadata: metadata },
        values: {
          name: { value: textValue('web-server-01') },
          hostname: { value: textValue('www.example.com') },
        },
      });
      expect(submitted.json, metadata).toMatchObject({ response_action: 'update' });
      expect(textOf({ args: submitted.json as Record<string, unknown> }), metadata).toContain(
        'This form is no longer valid',
      );
    }
    await h.idle();
    expect(h.sim.requests).toEqual([]);
  });

  it('says when nothing would change', async () => {
    await h.slack.command({ text: 'edit db-server-01' });
    const form = await openedView('Edit server');
    await h.slack.submitView({
      view: form,
      values: {
        name: { value: textValue('db-server-01') },
        hostname: { value: textValue('db01.example.com') },
        backups: { value: checkboxesValue(['on']) },
      },
    });
    await viewAfter(form.id, /would not change/);
  });
});

describe('create as a form', () => {
  it('offers plans, OSes and locations from the account, reviews, creates once', async () => {
    await h.slack.command({ text: 'create' });
    const form = await openedView('Create server');
    const shown = JSON.stringify(form.blocks);
    for (const option of [
      'Standard VPS',
      'Performance VPS',
      'Ubuntu 22.04 LTS',
      'Debian 12',
      'us-west',
      'eu-central',
    ]) {
      expect(shown).toContain(option);
    }
    expect(shown).toContain('Or another plan ID');
    const missing = await h.slack.submitView({
      view: form,
      values: { name: { value: textValue('api-01') } },
    });
    expect(missing.json).toMatchObject({
      response_action: 'errors',
      errors: { plan: 'Choose a plan or type its ID.' },
    });
    await h.slack.submitView({
      view: form,
      values: {
        name: { value: textValue('api-01') },
        plan: { value: selectValue('2') },
        os_other: { value: textValue('7') },
        location: { value: selectValue('us-east') },
      },
    });
    const review = await viewAfter(form.id, /Create this server/);
    const said = textOf({ args: review });
    expect(said).toContain('Performance VPS (4 vCPU · 8 GB RAM · 160 GB disk');
    expect(said).toContain('Rocky Linux 9');
    expect(changes()).toEqual([]);
    await h.slack.submitView({ view: review });
    await viewAfter(form.id, /Done: create/);
    await h.slack.waitFor('chat.update', (c) => /Settled: :large_green_circle: active/.test(textOf(c)));
    expect(changes()).toMatchObject([
      {
        method: 'POST',
        path: '/api/v1/servers/',
        body: { name: 'api-01', plan_id: 2, os_id: 7, location: 'us-east', backups_enabled: false },
      },
    ]);
  });

  it('tells 402 (balance too low) in one sentence', async () => {
    h.sim.setBalance(false);
    await h.slack.command({ text: 'create' });
    const form = await openedView('Create server');
    await h.slack.submitView({
      view: form,
      values: {
        name: { value: textValue('poor-01') },
        plan: { value: selectValue('1') },
        os: { value: selectValue('5') },
        location: { value: selectValue('us-west') },
      },
    });
    const review = await viewAfter(form.id, /Create this server/);
    await h.slack.submitView({ view: review });
    await viewAfter(form.id, /account balance is too low \(402\)/);
  });
});
