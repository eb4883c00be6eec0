import type { AddressInfo } from 'node:net';
import { App, type BlockAction, LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandin } from '../../src/slack-standin/index.js';

const quiet: webApi.Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => undefined,
};

const standin = new SlackStandin();
let client: webApi.WebClient;

async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(webApi.WebAPIPlatformError);
    return (error as InstanceType<typeof webApi.WebAPIPlatformError>).data.error;
  }
  throw new Error('expected the call to fail');
}

const HOME = {
  type: 'home' as const,
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*Fleet*: 3 servers' } }],
};

beforeAll(async () => {
  await standin.listen();
  client = new webApi.WebClient(standin.botToken, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
    // Quiet even for the [ERROR] lines the WebClient logs from response_metadata.messages.
    logger: quiet,
  });
});
afterAll(() => standin.close());
beforeEach(() => standin.reset());

describe('users.info', () => {
  it('tells of anyone by id in Slack’s shape, in UTC unless a time zone was set', async () => {
    const answer = await client.users.info({ user: 'U0ALICE' });
    expect(answer.user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      real_name: 'alice',
      tz: 'UTC',
      tz_offset: 0,
      profile: { real_name: 'alice', display_name: 'alice' },
    });
  });

  it('gives a registered person their zone, label and offset in seconds', async () => {
    standin.setPerson({ id: 'U0PRIYA', realName: 'Priya Ops', tz: 'Asia/Kolkata' });
    const answer = await client.users.info({ user: 'U0PRIYA' });
    expect(answer.user).toMatchObject({
      id: 'U0PRIYA',
      real_name: 'Priya Ops',
      tz: 'Asia/Kolkata',
      tz_label: 'India Standard Time',
      tz_offset: 19_800,
    });
    expect(standin.callsTo('users.info').map((c) => c.args.user)).toEqual(['U0PRIYA']);
  });

  it('answers user_not_found for what is not a user id, and forgets people on reset', async () => {
    expect(await slackError(client.users.info({ user: 'C0GENERAL' }))).toBe('user_not_found');
    standin.setPerson({ id: 'U0PRIYA', tz: 'Asia/Kolkata' });
    standin.reset();
    expect((await client.users.info({ user: 'U0PRIYA' })).user?.tz).toBe('UTC');
  });
});

describe('views.publish', () => {
  it('keeps each person’s Home view, with the same id and a new hash each time', async () => {
    const first = await client.views.publish({ user_id: 'U0ALICE', view: HOME });
    expect(first.view).toMatchObject({ type: 'home', team_id: 'T0001', app_id: 'A0APP' });
    const second = await client.views.publish({
      user_id: 'U0ALICE',
      view: { ...HOME, blocks: [{ type: 'divider' }] },
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(second.view?.hash).not.toBe(first.view?.hash);
    expect(standin.homeView('U0ALICE')?.blocks).toEqual([{ type: 'divider', block_id: expect.any(String) }]);
    expect(standin.homeView('U0BOB')).toBeUndefined();
  });

  it('refuses what Slack refuses: a modal, more than 100 blocks, no user, a stale hash', async () => {
    const modal = { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] };
    expect(await slackError(client.apiCall('views.publish', { user_id: 'U0ALICE', view: modal }))).toBe(
      'invalid_arguments',
    );
    const big = { type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) };
    expect(await slackError(client.apiCall('views.publish', { user_id: 'U0ALICE', view: big }))).toBe(
      'invalid_arguments',
    );
    expect(await slackError(client.apiCall('views.publish', { view: HOME }))).toBe('invalid_arguments');
    expect(await slackError(client.views.publish({ user_id: 'C0GENERAL', view: HOME }))).toBe(
      'user_not_found',
    );
    await client.views.publish({ user_id: 'U0ALICE', view: HOME });
    expect(await slackError(client.views.publish({ user_id: 'U0ALICE', view: HOME, hash: 'stale' }))).toBe(
      'hash_conflict',
    );
    const current = standin.homeView('U0ALICE');
    await client.views.publish({ user_id: 'U0ALICE', view: HOME, hash: current?.hash as string });
  });

  it('forgets Home views on reset, unless asked to keep them', async () => {
    const published = await client.views.publish({ user_id: 'U0ALICE', view: HOME });
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'said before' });
    standin.reset({ keepHomeViews: true });
    expect(standin.messages('C0GENERAL')).toEqual([]);
    expect(standin.homeView('U0ALICE')).toMatchObject({ id: published.view?.id, hash: published.view?.hash });
    standin.reset();
    expect(standin.homeView('U0ALICE')).toBeUndefined();
  });
});

describe('events and Home clicks sent to a real Bolt app', () => {
  let app: App;
  let stop: () => Promise<void>;
  const seen: { event: Record<string, unknown>; retryNum: number | undefined }[] = [];
  const clicks: BlockAction[] = [];
  let wake: () => void = () => undefined;
  const until = (check: () => boolean) =>
    new Promise<void>((resolve) => {
      wake = () => check() && resolve();
      wake();
    });

  beforeAll(async () => {
    app = new App({
      token: standin.botToken,
      signingSecret: standin.signingSecret,
      clientOptions: { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } },
      deferInitialization: true,
      logLevel: LogLevel.ERROR,
    });
    app.event('app_home_opened', async ({ event, context }) => {
      seen.push({ event: event as unknown as Record<string, unknown>, retryNum: context.retryNum });
      wake();
    });
    app.action<BlockAction>(/.*/, async ({ ack, body }) => {
      await ack();
      clicks.push(body);
      wake();
    });
    await app.init();
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    standin.botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    stop = async () => {
      server.closeAllConnections();
      await app.stop();
    };
  });
  afterAll(() => stop());
  beforeEach(() => {
    seen.length = 0;
    clicks.length = 0;
  });

  it('delivers app_home_opened as a signed event_callback that Bolt routes to app.event', async () => {
    const sent = await standin.openHome('U0ALICE');
    expect(sent.status).toBe(200);
    await until(() => seen.length === 1);
    expect(seen[0]?.event).toMatchObject({ type: 'app_home_opened', user: 'U0ALICE', tab: 'home' });
    expect(seen[0]?.event.view).toBeUndefined();
    const envelope = JSON.parse(sent.sent) as Record<string, unknown>;
    expect(envelope).toMatchObject({ type: 'event_callback', team_id: 'T0001', event_id: sent.eventId });
  });

  it('includes the view Slack holds, and a retry repeats the event id with X-Slack-Retry-Num', async () => {
    await client.views.publish({ user_id: 'U0BOB', view: HOME });
    const sent = await standin.openHome('U0BOB');
    await standin.redeliverEvent(sent);
    await until(() => seen.length === 2);
    expect(seen[0]?.event.view).toMatchObject({ type: 'home' });
    expect(seen.map((s) => s.retryNum)).toEqual([undefined, 1]);
    expect(JSON.parse(sent.sent).event_id).toBe(sent.eventId);
  });

  it('is refused by Bolt when badly signed, and answers the url_verification challenge', async () => {
    expect((await standin.openHome('U0ALICE', { signature: 'bad' })).status).toBe(401);
    const verified = await standin.verifyUrl('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    expect(verified.json).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    expect(seen).toEqual([]);
  });

  it('a click in a Home view comes from the view, with no response_url, as in Slack', async () => {
    await client.views.publish({
      user_id: 'U0ALICE',
      view: {
        type: 'home',
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: 'vps.start',
                value: '12347',
                text: { type: 'plain_text', text: 'Start' },
              },
            ],
          },
        ],
      },
    });
    const home = standin.homeView('U0ALICE');
    if (!home) throw new Error('no home view');
    const clicked = await standin.click({ view: home, actionId: 'vps.start', user: 'U0ALICE' });
    expect(clicked.responseUrl).toBeUndefined();
    await until(() => clicks.length === 1);
    expect(clicks[0]).toMatchObject({
      container: { type: 'view', view_id: home.id },
      view: { type: 'home', id: home.id },
      actions: [{ action_id: 'vps.start', value: '12347' }],
    });
    expect(clicks[0]?.response_url).toBeUndefined();
  });
});
