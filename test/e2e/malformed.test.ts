import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SendOptions, SendResult } from '../../src/slack-standin/index.js';
import {
  blockActionsPayload,
  commandForm,
  payloadForm,
  viewSubmissionPayload,
} from '../../src/slack-standin/payloads.js';
import { type Harness, useHarness } from './harness.js';

let h: Harness;
useHarness((started) => {
  h = started;
});

// A request that gets no answer would hang the test: every send gives up well before Bolt's 3 s.
const FAST_MS = 2500;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

/** Signs and sends a body; the answer must come before FAST_MS. */
function send(body: string, options: SendOptions = {}): Promise<SendResult> {
  return h.slack.send(body, { signal: AbortSignal.timeout(FAST_MS), ...options });
}

function clickPayload(actionId: string): Record<string, unknown> {
  return blockActionsPayload({
    userId: 'U0ALICE',
    triggerId: h.slack.newTriggerId(),
    action: { type: 'button', action_id: actionId, block_id: 'b', value: '12345', action_ts: '1.2' },
    source: {
      kind: 'message',
      channelId: 'C0GENERAL',
      messageTs: '1700000000.000100',
      ephemeral: true,
      message: undefined,
      responseUrl: h.slack.newResponseUrl({ channel: 'C0GENERAL' }),
    },
  });
}

function submissionPayload(callbackId: string): Record<string, unknown> {
  return viewSubmissionPayload({
    userId: 'U0ALICE',
    triggerId: h.slack.newTriggerId(),
    view: {
      id: 'V0FORM',
      type: 'modal',
      callback_id: callbackId,
      private_metadata: '',
      hash: 'h',
      blocks: [],
      state: { values: {} },
    },
  });
}

/** A submission of the form `callbackId` whose `state.values` are these, as no Slack would send them. */
function withValues(callbackId: string, values: Record<string, unknown>): Record<string, unknown> {
  const payload = submissionPayload(callbackId);
  const view = payload.view as Record<string, unknown>;
  return { ...payload, view: { ...view, state: { values } } };
}

const JSON_BODY: SendOptions = { contentType: 'application/json' };

/** An app_home_opened event callback with these event fields and these top-level ones. */
function homeOpened(event: Record<string, unknown>, top: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'event_callback',
    team_id: 'T0001',
    api_app_id: 'A0APP',
    event_id: `Ev${Math.random().toString(36).slice(2)}`,
    event_time: 1,
    event: { type: 'app_home_opened', user: 'U0ALICE', tab: 'home', event_ts: '1.2', ...event },
    ...top,
  });
}

function without(payload: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = payload;
  return rest;
}

function commandBody(fields: Partial<Record<string, string>> = {}, omit: string[] = []): string {
  const form = new URLSearchParams(
    commandForm({
      command: '/vps',
      text: 'start staging-01',
      userId: 'U0ALICE',
      channelId: 'C0GENERAL',
      teamId: 'T0001',
      responseUrl: h.slack.newResponseUrl({ channel: 'C0GENERAL' }),
      triggerId: h.slack.newTriggerId(),
    }),
  );
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.set(key, value);
  for (const key of omit) form.delete(key);
  return form.toString();
}

/** Nothing was done: no request to VPS.org, no reply, no message. */
async function nothingDone() {
  await h.idle();
  expect(h.sim.requests).toEqual([]);
  expect(h.slack.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
}

let logsBefore = 0;
beforeEach(() => {
  logsBefore = h.logs.length;
});

/** The log lines with this message written during the current test. */
function linesSaying(message: string) {
  return h.logs.slice(logsBefore).filter((line) => line.msg === message);
}

describe('timestamps', () => {
  it('a correctly signed request timestamped 10 minutes in the future: 401, nothing done', async () => {
    const inTenMinutes = Math.floor(Date.now() / 1000) + 600;
    const sent = await send(commandBody(), { timestamp: inTenMinutes });
    expect(sent.status).toBe(401);
    await nothingDone();
  });

  it('one 4 minutes in the future is still Slack’s clock drift: accepted', async () => {
    const sent = await send(commandBody({ text: 'help' }), {
      timestamp: Math.floor(Date.now() / 1000) + 240,
    });
    expect(sent.status).toBe(200);
    await h.slack.waitFor('response_url');
  });
});

describe('malformed bodies: 400 at once, nothing done', () => {
  const cases: [string, () => string, SendOptions?][] = [
    ['payload=null', () => 'payload=null'],
    ['a payload that is not JSON', () => 'payload=%7Boops'],
    ['a payload that is an array', () => 'payload=%5B1%2C2%5D'],
    ['a payload that is a string', () => `payload=${encodeURIComponent('"block_actions"')}`],
    ['block_actions without user', () => payloadForm(without(clickPayload('vps.refresh'), 'user'))],
    ['block_actions whose user has no id', () => payloadForm({ ...clickPayload('vps.refresh'), user: {} })],
    ['block_actions without actions', () => payloadForm(without(clickPayload('vps.refresh'), 'actions'))],
    ['block_actions with no action', () => payloadForm({ ...clickPayload('vps.refresh'), actions: [] })],
    [
      'block_actions without trigger_id',
      () => payloadForm(without(clickPayload('vps.refresh'), 'trigger_id')),
    ],
    [
      'block_actions whose channel is null',
      () => payloadForm({ ...clickPayload('vps.refresh'), channel: null }),
    ],
    ['app_home_opened whose channel is null', () => homeOpened({ channel: null }), JSON_BODY],
    ['app_home_opened whose item is not an object', () => homeOpened({ item: 'x' }), JSON_BODY],
    [
      'app_home_opened whose authorizations hold null',
      () => homeOpened({}, { authorizations: [null] }),
      JSON_BODY,
    ],
    ['view_submission without view', () => payloadForm(without(submissionPayload('vps.review'), 'view'))],
    ['view_submission without user', () => payloadForm(without(submissionPayload('vps.review'), 'user'))],
    [
      'view_submission whose input state is null',
      () => payloadForm(withValues('vps.delete', { b: { a: null } })),
    ],
    [
      'view_submission whose field value is a number',
      () => payloadForm(withValues('vps.delete', { b: { a: { value: 5 } } })),
    ],
    [
      'view_submission whose selected options are not options',
      () => payloadForm(withValues('vps.edit.form', { b: { a: { selected_options: [null] } } })),
    ],
    [
      'view_submission whose blocks are not blocks',
      () => {
        const payload = submissionPayload('vps.create.form');
        return payloadForm({ ...payload, view: { ...(payload.view as object), blocks: [null, 5] } });
      },
    ],
    [
      'view_submission whose block state is a string',
      () => payloadForm(withValues('vps.review', { b: 'x' })),
    ],
    ['a slash command without user_id', () => commandBody({}, ['user_id'])],
    ['a slash command without response_url', () => commandBody({}, ['response_url'])],
    ['a form that is neither a command nor a payload', () => 'hello=world'],
  ];
  for (const [what, body, options] of cases) {
    it(what, async () => {
      const sent = await send(body(), options);
      expect(sent.status).toBe(400);
      await nothingDone();
      expect(linesSaying('rejected a malformed request')).toHaveLength(1);
    });
  }

  it('a JSON body that is not an object', async () => {
    const sent = await send('null', { contentType: 'application/json' });
    expect(sent.status).toBe(400);
    await nothingDone();
  });
});

describe('well-formed requests the bot does not handle: 200 at once and one log line', () => {
  const cases: [string, () => string, SendOptions?][] = [
    ['a button of another app', () => payloadForm(clickPayload('other.button'))],
    ['a form of another app', () => payloadForm(submissionPayload('other.form'))],
    [
      'a global shortcut',
      () =>
        payloadForm({
          type: 'shortcut',
          callback_id: 'do_it',
          trigger_id: h.slack.newTriggerId(),
          user: { id: 'U0ALICE' },
          team: { id: 'T0001' },
        }),
    ],
    [
      'a message shortcut',
      () =>
        payloadForm({
          type: 'message_action',
          callback_id: 'do_it',
          trigger_id: h.slack.newTriggerId(),
          user: { id: 'U0ALICE' },
          channel: { id: 'C0GENERAL' },
          message: { ts: '1.2', text: 'hi' },
          team: { id: 'T0001' },
        }),
    ],
    [
      'a closed modal',
      () =>
        payloadForm({
          ...without(submissionPayload('vps.review'), 'trigger_id'),
          type: 'view_closed',
          is_cleared: false,
        }),
    ],
    [
      'a block suggestion',
      () =>
        payloadForm({
          type: 'block_suggestion',
          action_id: 'pick',
          block_id: 'b',
          value: 'we',
          user: { id: 'U0ALICE' },
          team: { id: 'T0001' },
        }),
    ],
    [
      'an interaction type Slack may add one day',
      () => payloadForm({ type: 'brand_new', user: { id: 'U0ALICE' } }),
    ],
    ['another slash command', () => commandBody({ command: '/other' })],
    [
      'an Events API callback',
      () =>
        JSON.stringify({
          type: 'event_callback',
          team_id: 'T0001',
          api_app_id: 'A0APP',
          event: { type: 'app_mention', user: 'U0ALICE', text: 'hi', channel: 'C0GENERAL', ts: '1.2' },
          event_id: 'Ev1',
          event_time: 1,
        }),
      { contentType: 'application/json' },
    ],
  ];
  for (const [what, body, options] of cases) {
    it(what, async () => {
      const sent = await send(body(), options);
      expect(sent.status).toBe(200);
      await nothingDone();
      expect(linesSaying('ignored a request the bot does not handle')).toHaveLength(1);
    });
  }
});

describe('other paths and methods', () => {
  it('are Bolt’s as before: a GET to the Slack endpoint is 404, /healthz is 200', async () => {
    const base = h.slack.botUrl ?? '';
    expect((await fetch(base, { signal: AbortSignal.timeout(FAST_MS) })).status).toBe(404);
    expect((await fetch(new URL('/nowhere', base), { method: 'POST', body: 'x=1' })).status).toBe(404);
    expect((await fetch(new URL('/healthz', base))).status).toBe(200);
  });
});

describe('after all that', () => {
  it('the bot still serves the next request', async () => {
    const sent = await h.slack.command({ text: 'help' }, { signal: AbortSignal.timeout(FAST_MS) });
    expect(sent.status).toBe(200);
    await h.slack.waitFor('response_url', (c) => c.args.url === sent.responseUrl);
  });
});
