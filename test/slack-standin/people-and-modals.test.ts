import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandin, textValue } from '../../src/slack-standin/index.js';
import { CaptureBot } from './capture-bot.js';

const standin = new SlackStandin();
const bot = new CaptureBot();
let client: webApi.WebClient;

const MODAL: webApi.ModalView = {
  type: 'modal',
  callback_id: 'first',
  title: { type: 'plain_text', text: 'First' },
  blocks: [
    {
      type: 'input',
      block_id: 'name',
      label: { type: 'plain_text', text: 'Name' },
      element: { type: 'plain_text_input', action_id: 'value' },
    },
  ],
};

function modal(title: string, extra: Partial<webApi.ModalView> = {}): webApi.ModalView {
  return { ...MODAL, title: { type: 'plain_text', text: title }, ...extra };
}

beforeAll(async () => {
  await standin.listen();
  standin.botUrl = await bot.start();
  client = new webApi.WebClient(standin.botToken, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      setLevel: () => undefined,
      getLevel: () => webApi.LogLevel.ERROR,
      setName: () => undefined,
    },
  });
});
afterAll(async () => {
  await Promise.all([standin.close(), bot.stop()]);
});
beforeEach(() => {
  standin.reset();
  bot.received.length = 0;
  bot.reply = { status: 200, body: '' };
});

describe('people and channels', () => {
  it('users.info tells of a registered person, with their time zone and its offset', async () => {
    standin.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Ops', tz: 'Asia/Kolkata' });
    const { user } = await client.users.info({ user: 'U0ALICE' });
    expect(user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      real_name: 'Alice Ops',
      tz: 'Asia/Kolkata',
      tz_offset: 19_800,
      is_bot: false,
      profile: { display_name: 'alice', real_name: 'Alice Ops' },
    });
  });

  it('users.info names an unregistered id after it, and refuses what is not a user id', async () => {
    expect((await client.users.info({ user: 'U0DAVE' })).user).toMatchObject({ name: 'dave', tz: 'UTC' });
    await expect(client.users.info({ user: 'C0OPS' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('users.list lists the registered people and the bot', async () => {
    standin.addUser({ id: 'U0BOB', name: 'bob', realName: 'Bob Viewer', tz: 'UTC' });
    const { members } = await client.users.list({});
    expect(members?.map((m) => [m.id, m.is_bot])).toEqual([
      ['U0BOB', false],
      ['U0BOT', true],
    ]);
  });

  it('conversations.info gives a registered channel its own name', async () => {
    standin.addChannel({ id: 'C0XYZ', name: 'ops-alerts' });
    expect((await client.conversations.info({ channel: 'C0XYZ' })).channel?.name).toBe('ops-alerts');
  });

  it('the bot may post in a DM opened for a person', async () => {
    const dm = standin.openDm('U0BOB');
    expect(dm).toBe('D0BOB');
    await client.chat.postMessage({ channel: dm, text: 'hello Bob' });
    expect(standin.messages(dm)).toMatchObject([{ text: 'hello Bob' }]);
  });
});

describe('ephemeral replies through response URLs', () => {
  it('shows a command reply only to the person who typed it; replace_original redraws it in place', async () => {
    const sent = await standin.command({ text: 'list', user: 'U0BOB', channel: 'C0OPS' });
    const post = (body: unknown) =>
      fetch(sent.responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post({ text: 'page 1' });
    const [first] = standin.ephemeralMessages('C0OPS');
    expect(first).toMatchObject({ user: 'U0BOB', text: 'page 1' });
    await post({ text: 'page 2', replace_original: true });
    expect(standin.ephemeralMessages('C0OPS')).toEqual([{ ...first, text: 'page 2' }]);
    await post({ delete_original: true });
    expect(standin.ephemeralMessages('C0OPS')).toEqual([]);
  });

  it('a click in an ephemeral message gets a response URL whose original is that message', async () => {
    const blocks = [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'go', value: '1', text: { type: 'plain_text', text: 'Go' } }],
      },
    ];
    await client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0ALICE', text: 'ask', blocks });
    const [asked] = standin.ephemeralMessages('C0OPS');
    if (!asked) throw new Error('no ephemeral message');
    const other = await client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0ALICE', text: 'other' });
    const clicked = await standin.click({
      user: 'U0ALICE',
      actionId: 'go',
      message: { channel: 'C0OPS', ts: asked.ts, blocks, ephemeral: true },
    });
    expect(bot.lastPayload()).toMatchObject({ container: { is_ephemeral: true, message_ts: asked.ts } });
    await fetch(clicked.responseUrl ?? '', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'done', replace_original: true }),
    });
    expect(standin.ephemeralMessages('C0OPS').map((m) => [m.ts, m.text])).toEqual([
      [asked.ts, 'done'],
      [other.message_ts, 'other'],
    ]);
  });

  it('an ephemeral answer to a click on a channel message goes to the person who clicked', async () => {
    const blocks = [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'go', value: '1', text: { type: 'plain_text', text: 'Go' } }],
      },
    ];
    const posted = await client.chat.postMessage({ channel: 'C0OPS', text: 'card', blocks });
    const clicked = await standin.click({
      user: 'U0CAROL',
      actionId: 'go',
      message: { channel: 'C0OPS', ts: posted.ts ?? '' },
    });
    await fetch(clicked.responseUrl ?? '', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'only Carol', response_type: 'ephemeral' }),
    });
    expect(standin.ephemeralMessages('C0OPS')).toMatchObject([{ user: 'U0CAROL', text: 'only Carol' }]);
    expect(standin.messages('C0OPS')).toMatchObject([{ text: 'card' }]);
  });
});

describe('modal stacks', () => {
  it('views.open opens a modal for the person whose trigger it was, and no one else', async () => {
    const sent = await standin.command({ text: 'create', user: 'U0BOB' });
    const { view } = await client.views.open({ trigger_id: sent.triggerId, view: modal('First') });
    expect(standin.modals('U0BOB').map((v) => v.id)).toEqual([view?.id]);
    expect(standin.modals('U0ALICE')).toEqual([]);
  });

  it('views.push stacks a view on the one clicked in; Back returns to it', async () => {
    const sent = await standin.command({ text: 'create', user: 'U0ALICE' });
    const opened = await client.views.open({
      trigger_id: sent.triggerId,
      view: modal('First', {
        blocks: [
          {
            type: 'actions',
            elements: [{ type: 'button', action_id: 'more', text: { type: 'plain_text', text: 'More' } }],
          },
        ],
      }),
    });
    const first = standin.view(opened.view?.id ?? '');
    if (!first) throw new Error('no view');
    const click = await standin.click({ user: 'U0ALICE', actionId: 'more', view: first });
    const pushed = await client.views.push({ trigger_id: click.triggerId, view: modal('Second') });
    expect(pushed.view).toMatchObject({ previous_view_id: first.id, root_view_id: first.id });
    expect(standin.modals('U0ALICE').map((v) => v.id)).toEqual([first.id, pushed.view?.id]);
    standin.backView('U0ALICE');
    expect(standin.modals('U0ALICE').map((v) => v.id)).toEqual([first.id]);
  });

  it('applies the answer to a submission: errors keep it, push stacks, update replaces, clear closes all', async () => {
    const sent = await standin.command({ text: 'create', user: 'U0ALICE' });
    const opened = await client.views.open({ trigger_id: sent.triggerId, view: modal('First') });
    const id = opened.view?.id ?? '';
    const submit = () =>
      standin.submitView({
        view: standin.modals('U0ALICE').at(-1) ?? {},
        user: 'U0ALICE',
        values: { name: { value: textValue('x') } },
      });
    const answer = (body: unknown) => {
      bot.reply = { status: 200, body: JSON.stringify(body), contentType: 'application/json' };
    };

    answer({ response_action: 'errors', errors: { name: 'Too short' } });
    expect((await submit()).json).toMatchObject({ errors: { name: 'Too short' } });
    expect(standin.modals('U0ALICE').map((v) => v.id)).toEqual([id]);

    answer({ response_action: 'push', view: modal('Second') });
    await submit();
    const stacked = standin.modals('U0ALICE');
    expect(stacked.map((v) => (v.title as { text: string }).text)).toEqual(['First', 'Second']);

    answer({ response_action: 'update', view: modal('Third') });
    await submit();
    expect(standin.modals('U0ALICE').map((v) => (v.title as { text: string }).text)).toEqual([
      'First',
      'Third',
    ]);

    answer({ response_action: 'clear' });
    await submit();
    expect(standin.modals('U0ALICE')).toEqual([]);
  });

  it('views.update replaces the whole view: a submit button it leaves out is gone', async () => {
    const sent = await standin.command({ text: 'delete', user: 'U0ALICE' });
    const opened = await client.views.open({
      trigger_id: sent.triggerId,
      view: modal('Delete', { submit: { type: 'plain_text', text: 'Delete' }, callback_id: 'del' }),
    });
    await client.views.update({ view_id: opened.view?.id ?? '', view: modal('Done') });
    const [shown] = standin.modals('U0ALICE');
    expect(shown?.submit).toBeUndefined();
    expect(shown).toMatchObject({ id: opened.view?.id, callback_id: 'first', root_view_id: opened.view?.id });
  });

  it('a plain acknowledgement closes only the view submitted', async () => {
    const sent = await standin.command({ text: 'create', user: 'U0ALICE' });
    await client.views.open({ trigger_id: sent.triggerId, view: modal('First') });
    bot.reply = {
      status: 200,
      body: JSON.stringify({ response_action: 'push', view: modal('Second') }),
      contentType: 'application/json',
    };
    await standin.submitView({ view: standin.modals('U0ALICE').at(-1) ?? {}, user: 'U0ALICE' });
    bot.reply = { status: 200, body: '' };
    await standin.submitView({ view: standin.modals('U0ALICE').at(-1) ?? {}, user: 'U0ALICE' });
    expect(standin.modals('U0ALICE').map((v) => (v.title as { text: string }).text)).toEqual(['First']);
  });

  it('closing sends view_closed only when the view asked for it, and clear_on_close closes them all', async () => {
    const sent = await standin.command({ text: 'create', user: 'U0ALICE' });
    await client.views.open({ trigger_id: sent.triggerId, view: modal('Quiet') });
    bot.received.length = 0;
    expect(await standin.closeView('U0ALICE')).toBeUndefined();
    expect(bot.received).toEqual([]);
    expect(standin.modals('U0ALICE')).toEqual([]);

    const again = await standin.command({ text: 'create', user: 'U0ALICE' });
    await client.views.open({
      trigger_id: again.triggerId,
      view: modal('Loud', { notify_on_close: true, clear_on_close: true }),
    });
    const closed = await standin.closeView('U0ALICE');
    expect(closed?.status).toBe(200);
    expect(bot.lastPayload()).toMatchObject({
      type: 'view_closed',
      user: { id: 'U0ALICE' },
      is_cleared: true,
      view: { title: { text: 'Loud' } },
    });
  });
});
