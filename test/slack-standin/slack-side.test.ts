import { verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buttons,
  checkboxesValue,
  radioValue,
  SlackStandin,
  signSlackRequest,
  textValue,
} from '../../src/slack-standin/index.js';
import { CaptureBot } from './capture-bot.js';

const standin = new SlackStandin({ signingSecret: 'shh' });
const bot = new CaptureBot();

const BLOCKS = [
  {
    type: 'section',
    block_id: 'card',
    text: { type: 'mrkdwn', text: 'web-01' },
    accessory: {
      type: 'overflow',
      action_id: 'more',
      options: [
        { text: { type: 'plain_text', text: 'Rename' }, value: 'rename' },
        { text: { type: 'plain_text', text: 'Resize' }, value: 'resize' },
      ],
    },
  },
  {
    type: 'actions',
    elements: [
      { type: 'button', action_id: 'power', value: 'start', text: { type: 'plain_text', text: 'Start' } },
      {
        type: 'button',
        action_id: 'power',
        value: 'stop',
        style: 'danger',
        text: { type: 'plain_text', text: 'Stop' },
      },
      {
        type: 'static_select',
        action_id: 'plan',
        placeholder: { type: 'plain_text', text: 'Plan' },
        option_groups: [
          {
            label: { type: 'plain_text', text: 'All' },
            options: [{ text: { type: 'plain_text', text: 'Standard' }, value: '1' }],
          },
        ],
      },
    ],
  },
];

const FORM_VIEW = {
  id: 'V0FORM',
  type: 'modal',
  callback_id: 'resize',
  private_metadata: '{"server":12345}',
  title: { type: 'plain_text', text: 'Resize' },
  blocks: [
    { type: 'input', block_id: 'note', element: { type: 'plain_text_input', action_id: 'text' } },
    {
      type: 'input',
      block_id: 'confirm',
      element: {
        type: 'checkboxes',
        action_id: 'boxes',
        options: [{ text: { type: 'plain_text', text: 'I am sure' }, value: 'sure' }],
      },
    },
    {
      type: 'input',
      block_id: 'when',
      element: {
        type: 'radio_buttons',
        action_id: 'choice',
        options: [{ text: { type: 'plain_text', text: 'Right now' }, value: 'now' }],
      },
    },
    {
      type: 'actions',
      elements: [{ type: 'button', action_id: 'preview', text: { type: 'plain_text', text: 'Preview' } }],
    },
  ],
};

beforeAll(async () => {
  standin.botUrl = await bot.start();
  await standin.listen();
});
afterAll(async () => {
  await bot.stop();
  await standin.close();
});
beforeEach(() => {
  standin.reset();
  bot.received.length = 0;
  bot.reply = { status: 200, body: '' };
});

describe('signing', () => {
  it('signs as Slack does, so that Bolt’s own verifier accepts it', () => {
    const body = 'token=x&text=hello+world';
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signSlackRequest('shh', body, timestamp);
    expect(signature).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(() =>
      verifySlackRequest({
        signingSecret: 'shh',
        body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      }),
    ).not.toThrow();
  });

  it('sends the exact content type, timestamp, signature and retry headers', async () => {
    const sent = await standin.command({ text: 'list' }, { retryNum: 2, retryReason: 'http_error' });
    expect(sent).toMatchObject({ status: 200, body: '' });
    expect(sent.ms).toBeGreaterThanOrEqual(0);
    const [request] = bot.received;
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['x-slack-retry-num']).toBe('2');
    expect(request?.headers['x-slack-retry-reason']).toBe('http_error');
    const timestamp = Number(request?.headers['x-slack-request-timestamp']);
    expect(request?.headers['x-slack-signature']).toBe(
      signSlackRequest('shh', request?.rawBody ?? '', timestamp),
    );
  });

  it('signs with a wrong secret, or an old timestamp, when asked', async () => {
    await standin.command({ text: 'x' }, { signature: 'bad', timestamp: 1_600_000_000 });
    const [request] = bot.received;
    expect(request?.headers['x-slack-request-timestamp']).toBe('1600000000');
    expect(request?.headers['x-slack-signature']).not.toBe(
      signSlackRequest('shh', request?.rawBody ?? '', 1_600_000_000),
    );
  });

  it('signs and sends any body, with another content type when asked', async () => {
    const sent = await standin.send('payload=null');
    expect(sent.sent).toBe('payload=null');
    const json = JSON.stringify({ type: 'event_callback', event: { type: 'app_mention' } });
    await standin.send(json, { contentType: 'application/json' });
    const [form, event] = bot.received;
    expect(form?.rawBody).toBe('payload=null');
    expect(form?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(event?.headers['content-type']).toBe('application/json');
    const timestamp = Number(event?.headers['x-slack-request-timestamp']);
    expect(event?.headers['x-slack-signature']).toBe(signSlackRequest('shh', json, timestamp));
  });

  it('gives up waiting for the bot when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(standin.send('x=1', { signal: controller.signal })).rejects.toThrow();
  });

  it('throws a clear error when botUrl is not set', async () => {
    const lonely = new SlackStandin();
    await lonely.listen();
    try {
      await expect(lonely.command({ text: 'x' })).rejects.toThrow('set standin.botUrl');
    } finally {
      await lonely.close();
    }
  });
});

describe('slash commands', () => {
  it('send Slack’s form fields, with a response URL and trigger id of the stand-in', async () => {
    const sent = await standin.command({ text: 'create web-02 --plan 2', user: 'U0BOB', channel: 'D0BOB' });
    const fields = Object.fromEntries(new URLSearchParams(bot.received[0]?.rawBody));
    expect(fields).toEqual({
      token: expect.any(String),
      team_id: 'T0001',
      team_domain: 'standin',
      channel_id: 'D0BOB',
      channel_name: 'directmessage',
      user_id: 'U0BOB',
      user_name: 'bob',
      command: '/vps',
      text: 'create web-02 --plan 2',
      api_app_id: 'A0APP',
      is_enterprise_install: 'false',
      response_url: sent.responseUrl,
      trigger_id: sent.triggerId,
    });
    expect(sent.responseUrl.startsWith(standin.apiUrl.replace('/api/', '/response/'))).toBe(true);
  });
});

describe('clicks', () => {
  it('list buttons with their values, text and style', () => {
    expect(buttons(BLOCKS)).toEqual([
      { actionId: 'power', value: 'start', text: 'Start', style: undefined },
      { actionId: 'power', value: 'stop', text: 'Stop', style: 'danger' },
    ]);
  });

  it('pick a button by value, and send the message they are in', async () => {
    await standin.click({
      message: { channel: 'C0GENERAL', ts: '1700000000.000100', blocks: BLOCKS, text: 'web-01' },
      actionId: 'power',
      value: 'stop',
    });
    const payload = bot.lastPayload();
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0001' },
      api_app_id: 'A0APP',
      token: expect.any(String),
      container: {
        type: 'message',
        message_ts: '1700000000.000100',
        channel_id: 'C0GENERAL',
        is_ephemeral: false,
      },
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
      team: { id: 'T0001', domain: 'standin' },
      channel: { id: 'C0GENERAL', name: 'general' },
      message: { ts: '1700000000.000100', text: 'web-01', blocks: BLOCKS },
      response_url: expect.stringContaining('/response/'),
    });
    expect(payload.actions).toEqual([
      {
        type: 'button',
        action_id: 'power',
        block_id: expect.any(String),
        value: 'stop',
        style: 'danger',
        text: { type: 'plain_text', text: 'Stop' },
        action_ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
      },
    ]);
  });

  it('choose overflow and select options by value', async () => {
    await standin.click({ message: { channel: 'C1', blocks: BLOCKS }, actionId: 'more', value: 'resize' });
    expect(bot.lastPayload().actions).toMatchObject([
      { type: 'overflow', action_id: 'more', block_id: 'card', selected_option: { value: 'resize' } },
    ]);
    await standin.click({ message: { channel: 'C1', blocks: BLOCKS }, actionId: 'plan', value: '1' });
    expect(bot.lastPayload().actions).toMatchObject([
      { type: 'static_select', selected_option: { value: '1', text: { text: 'Standard' } } },
    ]);
  });

  it('leave the message out for ephemeral messages and reuse their own response URL', async () => {
    const responseUrl = standin.newResponseUrl({ channel: 'C1' });
    const sent = await standin.click({
      message: { channel: 'C1', blocks: BLOCKS, ephemeral: true, responseUrl },
      actionId: 'power',
      value: 'start',
    });
    const payload = bot.lastPayload();
    expect(sent.responseUrl).toBe(responseUrl);
    expect(payload).toMatchObject({ container: { is_ephemeral: true }, response_url: responseUrl });
    expect(payload).not.toHaveProperty('message');
  });

  it('in a view, send the view and its container, without a response URL', async () => {
    await standin.click({ view: FORM_VIEW, actionId: 'preview' });
    const payload = bot.lastPayload();
    expect(payload).toMatchObject({ container: { type: 'view', view_id: 'V0FORM' }, view: { id: 'V0FORM' } });
    expect(payload).not.toHaveProperty('response_url');
    // The brief's spelling, the view inside `message`, means the same.
    await standin.click({ message: { view: FORM_VIEW }, actionId: 'preview' });
    expect(bot.lastPayload()).toMatchObject({ container: { type: 'view', view_id: 'V0FORM' } });
  });

  it('throw, listing what is there, for a missing, ambiguous or option-less target', async () => {
    const message = { channel: 'C1', blocks: BLOCKS };
    await expect(standin.click({ message, actionId: 'destroy' })).rejects.toThrow(
      'SlackStandin: no element with action_id "destroy"; present: "more" (overflow, options "rename", "resize"); "power" (button, value "start"); "power" (button, value "stop"); "plan" (static_select, options "1")',
    );
    await expect(standin.click({ message, actionId: 'power' })).rejects.toThrow(
      /2 elements have action_id "power"/,
    );
    await expect(standin.click({ message, actionId: 'power', value: 'reboot' })).rejects.toThrow(
      /no element with action_id "power" and value "reboot"/,
    );
    await expect(standin.click({ message, actionId: 'plan' })).rejects.toThrow(/needs the option value/);
    expect(bot.received).toEqual([]);
  });
});

describe('view submissions', () => {
  it('send every input, filled or empty, with the view’s own option texts', async () => {
    bot.reply = { status: 200, body: '{"response_action":"clear"}', contentType: 'application/json' };
    const sent = await standin.submitView({
      view: FORM_VIEW,
      user: 'U0BOB',
      values: { confirm: { boxes: checkboxesValue(['sure']) }, when: { choice: radioValue('now') } },
    });
    expect(sent.json).toEqual({ response_action: 'clear' });
    const payload = bot.lastPayload();
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: 'U0BOB' },
      team: { id: 'T0001' },
      api_app_id: 'A0APP',
      trigger_id: sent.triggerId,
      response_urls: [],
      view: { id: 'V0FORM', callback_id: 'resize', private_metadata: '{"server":12345}' },
    });
    expect((payload.view as { state: unknown }).state).toEqual({
      values: {
        note: { text: { type: 'plain_text_input', value: null } },
        confirm: {
          boxes: {
            type: 'checkboxes',
            selected_options: [{ text: { type: 'plain_text', text: 'I am sure' }, value: 'sure' }],
          },
        },
        when: {
          choice: {
            type: 'radio_buttons',
            selected_option: { text: { type: 'plain_text', text: 'Right now' }, value: 'now' },
          },
        },
      },
    });
  });

  it('refuse values for inputs or options the view does not have', async () => {
    await expect(
      standin.submitView({ view: FORM_VIEW, values: { nope: { text: textValue('x') } } }),
    ).rejects.toThrow(
      'SlackStandin: the view has no input nope/text; inputs: note/text, confirm/boxes, when/choice',
    );
    await expect(
      standin.submitView({ view: FORM_VIEW, values: { when: { choice: radioValue('later') } } }),
    ).rejects.toThrow('input when/choice has no option "later"; options: "now"');
    expect(bot.received).toEqual([]);
  });

  it('apply a response_action update to the stored view', async () => {
    const trigger = standin.newTriggerId();
    const opened = await fetch(`${standin.apiUrl}views.open`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${standin.botToken}` },
      body: JSON.stringify({ trigger_id: trigger, view: { ...FORM_VIEW, id: undefined } }),
    });
    const { view } = (await opened.json()) as { view: { id: string; hash: string } };
    const replacement = { type: 'modal', title: { type: 'plain_text', text: 'Done' }, blocks: [] };
    bot.reply = {
      status: 200,
      body: JSON.stringify({ response_action: 'update', view: replacement }),
      contentType: 'application/json',
    };
    await standin.submitView({ view: standin.view(view.id) ?? {}, values: {} });
    expect(standin.view(view.id)).toMatchObject({ id: view.id, title: { text: 'Done' }, blocks: [] });
    expect(standin.view(view.id)?.hash).not.toBe(view.hash);
  });
});
