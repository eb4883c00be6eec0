import { ErrorCode, type types, webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandin, selectValue, textValue } from '../../src/slack-standin/index.js';
import { type BoltUnderTest, type Run, startBoltApp } from './bolt-app.js';

const CARD_BLOCKS = [
  { type: 'section', block_id: 'server', text: { type: 'mrkdwn', text: '*web-01* is running' } },
  {
    type: 'actions',
    block_id: 'server_actions',
    elements: [
      { type: 'button', action_id: 'reboot', value: 'srv-1', text: { type: 'plain_text', text: 'Reboot' } },
      {
        type: 'button',
        action_id: 'delete',
        value: 'srv-1',
        style: 'danger',
        text: { type: 'plain_text', text: 'Delete' },
      },
    ],
  },
];

const MODAL: types.ModalView = {
  type: 'modal',
  callback_id: 'create_server',
  private_metadata: 'C0GENERAL',
  title: { type: 'plain_text', text: 'New server' },
  submit: { type: 'plain_text', text: 'Create' },
  blocks: [
    {
      type: 'input',
      block_id: 'name',
      label: { type: 'plain_text', text: 'Name' },
      element: { type: 'plain_text_input', action_id: 'value' },
    },
    {
      type: 'input',
      block_id: 'plan',
      label: { type: 'plain_text', text: 'Plan' },
      element: {
        type: 'static_select',
        action_id: 'value',
        options: [
          { text: { type: 'plain_text', text: 'Standard VPS' }, value: '1' },
          { text: { type: 'plain_text', text: 'Performance VPS' }, value: '2' },
        ],
      },
    },
  ],
};

function platformError(run: Run): string {
  expect(run.error).toBeInstanceOf(webApi.WebAPIPlatformError);
  const error = run.error as InstanceType<typeof webApi.WebAPIPlatformError>;
  return error.data.error;
}

const standin = new SlackStandin();
let bolt: BoltUnderTest;

beforeAll(async () => {
  await standin.listen();
  bolt = await startBoltApp(standin);
  standin.botUrl = bolt.url;
});
afterAll(async () => {
  await bolt?.stop();
  await standin.close();
});
beforeEach(() => {
  standin.reset();
  bolt.hooks.command = async () => undefined;
  bolt.hooks.action = async () => undefined;
  bolt.hooks.view = async ({ ack }) => ack();
});

/** Runs /vps so the bot posts the server card, and returns the posted message. */
async function postCard(channel = 'C0GENERAL') {
  bolt.hooks.command = ({ client, command }) =>
    client.chat.postMessage({ channel: command.channel_id, text: 'web-01', blocks: CARD_BLOCKS });
  await standin.command({ text: 'show web-01', channel });
  const run = await bolt.runs.next();
  expect(run.error).toBeUndefined();
  const call = await standin.waitFor('chat.postMessage');
  const ts = (call.response as { ts: string }).ts;
  const message = standin.message(channel, ts);
  if (message === undefined) throw new Error('the card was not stored');
  return message;
}

describe('initialisation', () => {
  it('records the auth.test Bolt makes at init, with the bot token', async () => {
    const other = new SlackStandin({ botToken: 'xoxb-other' });
    await other.listen();
    const app = await startBoltApp(other);
    try {
      expect(other.callsTo('auth.test')).toMatchObject([
        { token: 'xoxb-other', status: 200, response: { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT' } },
      ]);
    } finally {
      await app.stop();
      await other.close();
    }
  });
});

describe('slash commands', () => {
  it('reach the listener signed, are acked with 200, and respond() lands at the response URL', async () => {
    bolt.hooks.command = async ({ command, respond, client }) => {
      await respond({ text: `Working on: ${command.text}` });
      await client.chat.postMessage({ channel: command.channel_id, text: 'Done', thread_ts: undefined });
      return command;
    };
    const sent = await standin.command({ text: 'list servers', user: 'U0BOB' });
    expect(sent.status).toBe(200);
    expect(sent.body).toBe('');
    const run = await bolt.runs.next();
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({
      command: '/vps',
      text: 'list servers',
      user_id: 'U0BOB',
      user_name: 'bob',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      team_id: 'T0001',
      api_app_id: 'A0APP',
      response_url: sent.responseUrl,
      trigger_id: sent.triggerId,
    });
    const responded = await standin.waitFor('response_url');
    expect(responded.args).toEqual({ text: 'Working on: list servers', url: sent.responseUrl });
    expect(standin.responseMessage(sent.responseUrl)).toMatchObject({ text: 'Working on: list servers' });
    const posted = await standin.waitFor('chat.postMessage');
    expect(posted.token).toBe(standin.botToken);
    expect(standin.messages('C0GENERAL')).toMatchObject([{ text: 'Done', user: 'U0BOT' }]);
  });

  it('answers 401 to a bad signature or a timestamp over five minutes old; the listener never runs', async () => {
    bolt.hooks.command = async ({ command }) => command.text;
    const bad = await standin.command({ text: 'bad signature' }, { signature: 'bad' });
    expect(bad.status).toBe(401);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const stale = await standin.command({ text: 'stale' }, { timestamp: tenMinutesAgo });
    expect(stale.status).toBe(401);
    // Had either reached the listener, its run would come before this one.
    await standin.command({ text: 'valid' });
    expect((await bolt.runs.next()).result).toBe('valid');
    expect(standin.calls).toEqual([]);
  });

  it('carries the retry headers into context.retryNum and context.retryReason', async () => {
    bolt.hooks.command = async ({ context }) => ({
      retryNum: context.retryNum,
      retryReason: context.retryReason,
    });
    const sent = await standin.command({ text: 'list' }, { retryNum: 1, retryReason: 'http_timeout' });
    expect(sent.status).toBe(200);
    expect((await bolt.runs.next()).result).toEqual({ retryNum: 1, retryReason: 'http_timeout' });
  });

  it('makes respond() throw once the response URL has expired', async () => {
    bolt.hooks.command = async ({ command, respond }) => {
      standin.expireResponseUrl(command.response_url);
      await respond('too late');
    };
    await standin.command({ text: 'list' });
    const run = await bolt.runs.next();
    expect(run.error).toMatchObject({ code: ErrorCode.RespondError, statusCode: 404 });
    expect(standin.callsTo('response_url')).toMatchObject([{ status: 404, args: { text: 'too late' } }]);
  });
});

describe('Web API failures seen by Bolt', () => {
  it('failNext makes the matching call throw a platform error', async () => {
    standin.failNext('chat.postMessage', 'not_in_channel', { match: (args) => args.channel === 'C0OPS' });
    bolt.hooks.command = ({ client, command }) =>
      client.chat.postMessage({ channel: command.channel_id, text: 'x' });
    await standin.command({ text: 'list', channel: 'C0OPS' });
    expect(platformError(await bolt.runs.next())).toBe('not_in_channel');
    await standin.command({ text: 'list', channel: 'C0OPS' });
    expect((await bolt.runs.next()).error).toBeUndefined();
  });

  it('a channel the bot is not in answers not_in_channel; another user’s DM answers channel_not_found', async () => {
    standin.setChannelMembership('C0SECRET', false);
    bolt.hooks.command = ({ client, command }) =>
      client.chat.postMessage({ channel: command.channel_id, text: 'x' });
    await standin.command({ text: 'list', channel: 'C0SECRET' });
    expect(platformError(await bolt.runs.next())).toBe('not_in_channel');
    await standin.command({ text: 'list', channel: 'D0ALICEBOB' });
    expect(platformError(await bolt.runs.next())).toBe('channel_not_found');
    expect(standin.callsTo('chat.postMessage').map((c) => c.response)).toEqual([
      { ok: false, error: 'not_in_channel' },
      { ok: false, error: 'channel_not_found' },
    ]);
  });
});

describe('button clicks', () => {
  it('send a block_actions payload Bolt routes by action_id, with a trigger id views.open accepts', async () => {
    const card = await postCard();
    bolt.hooks.action = async ({ action, body, client }) => {
      const opened = await client.views.open({ trigger_id: body.trigger_id, view: MODAL });
      return { action, body, viewId: opened.view?.id };
    };
    const clicked = await standin.click({ message: card, actionId: 'delete' });
    expect(clicked.status).toBe(200);
    const run = await bolt.runs.next();
    expect(run.error).toBeUndefined();
    const result = run.result as { action: unknown; body: Record<string, unknown>; viewId: string };
    expect(result.action).toMatchObject({
      type: 'button',
      action_id: 'delete',
      block_id: 'server_actions',
      value: 'srv-1',
    });
    expect(result.body).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice' },
      container: { type: 'message', message_ts: card.ts, channel_id: 'C0GENERAL', is_ephemeral: false },
      channel: { id: 'C0GENERAL' },
      message: { ts: card.ts, text: 'web-01' },
      response_url: clicked.responseUrl,
    });
    expect(standin.view(result.viewId)).toMatchObject({
      callback_id: 'create_server',
      private_metadata: 'C0GENERAL',
    });
  });

  it('chat.update from the listener changes the stored message, and the old buttons are gone', async () => {
    const card = await postCard();
    bolt.hooks.action = ({ body, client }) =>
      client.chat.update({
        channel: body.channel?.id ?? '',
        ts: body.message?.ts ?? '',
        text: 'Rebooting web-01…',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Rebooting…' } }],
      });
    await standin.click({ message: card, actionId: 'reboot' });
    expect((await bolt.runs.next()).error).toBeUndefined();
    const [updated] = standin.messages('C0GENERAL');
    expect(updated).toMatchObject({ ts: card.ts, text: 'Rebooting web-01…', edited: { user: 'U0BOT' } });
    expect(standin.buttons(updated?.blocks ?? [])).toEqual([]);
    await expect(
      standin.click({ message: { channel: 'C0GENERAL', ts: card.ts }, actionId: 'reboot' }),
    ).rejects.toThrow(/no element with action_id "reboot"; there are no interactive elements/);
  });

  it('respond({replace_original}) replaces the clicked channel message; delete_original deletes it', async () => {
    const card = await postCard();
    bolt.hooks.action = ({ respond }) => respond({ replace_original: true, text: 'Rebooted' });
    await standin.click({ message: card, actionId: 'reboot' });
    await bolt.runs.next();
    expect(standin.message('C0GENERAL', card.ts)).toMatchObject({ text: 'Rebooted' });
    bolt.hooks.action = ({ respond }) => respond({ delete_original: true });
    await standin.click({ message: card, actionId: 'reboot' });
    await bolt.runs.next();
    expect(standin.messages('C0GENERAL')).toEqual([]);
    expect(
      standin.callsTo('response_url').map((c) => c.args.replace_original ?? c.args.delete_original),
    ).toEqual([true, true]);
  });

  it('an expired trigger id fails views.open with expired_trigger_id; a used one with exchanged_trigger_id', async () => {
    const card = await postCard();
    bolt.hooks.action = async ({ body, client }) => {
      standin.expireTriggerId(body.trigger_id);
      await client.views.open({ trigger_id: body.trigger_id, view: MODAL });
    };
    await standin.click({ message: card, actionId: 'reboot' });
    expect(platformError(await bolt.runs.next())).toBe('expired_trigger_id');
    bolt.hooks.action = async ({ body, client }) => {
      await client.views.open({ trigger_id: body.trigger_id, view: MODAL });
      await client.views.open({ trigger_id: body.trigger_id, view: MODAL });
    };
    await standin.click({ message: card, actionId: 'reboot' });
    expect(platformError(await bolt.runs.next())).toBe('exchanged_trigger_id');
  });
});

describe('view submissions', () => {
  it('deliver state values, and return the bot’s response_action errors in the ack', async () => {
    const card = await postCard();
    bolt.hooks.action = async ({ body, client }) =>
      (await client.views.open({ trigger_id: body.trigger_id, view: MODAL })).view?.id;
    await standin.click({ message: card, actionId: 'reboot' });
    const viewId = String((await bolt.runs.next()).result);
    bolt.hooks.view = async ({ ack, view }) => {
      await ack({ response_action: 'errors', errors: { name: 'That name is taken' } });
      return view;
    };
    const view = standin.view(viewId) ?? {};
    const sent = await standin.submitView({
      view,
      values: { name: { value: textValue('web-01') }, plan: { value: selectValue('2') } },
    });
    expect(sent.status).toBe(200);
    expect(sent.json).toEqual({ response_action: 'errors', errors: { name: 'That name is taken' } });
    const submitted = (await bolt.runs.next()).result;
    expect(submitted).toMatchObject({
      id: viewId,
      callback_id: 'create_server',
      private_metadata: 'C0GENERAL',
      state: {
        values: {
          name: { value: { type: 'plain_text_input', value: 'web-01' } },
          plan: {
            value: {
              type: 'static_select',
              selected_option: { value: '2', text: { text: 'Performance VPS' } },
            },
          },
        },
      },
    });
  });
});

describe('waitFor', () => {
  it('rejects after its timeout with the calls it saw', async () => {
    await postCard();
    await expect(standin.waitFor('chat.update', undefined, { timeoutMs: 30 })).rejects.toThrow(
      /waited 30 ms for a matching call to chat\.update, in vain\. Calls seen \(1\):\n {2}1\. chat\.postMessage \{.*"channel":"C0GENERAL".*…? -> ok$/,
    );
  });
});
