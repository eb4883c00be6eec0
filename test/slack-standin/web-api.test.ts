import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Call, SlackStandin } from '../../src/slack-standin/index.js';

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

function webClient(token: string | undefined, options: webApi.WebClientOptions = {}): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
    // Quiet even for the [ERROR] lines the WebClient logs from response_metadata.messages.
    logger: quiet,
    ...options,
  });
}

/** The Slack error code a WebClient call failed with. */
async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(webApi.WebAPIPlatformError);
    return (error as InstanceType<typeof webApi.WebAPIPlatformError>).data.error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  await standin.listen();
  client = webClient(standin.botToken);
});
afterAll(() => standin.close());
beforeEach(() => standin.reset());

describe('authentication and routing', () => {
  it('answers invalid_auth to a wrong or missing token, and records the call', async () => {
    expect(await slackError(webClient('xoxb-wrong').auth.test())).toBe('invalid_auth');
    expect(await slackError(webClient(undefined).chat.postMessage({ channel: 'C1', text: 'x' }))).toBe(
      'invalid_auth',
    );
    expect(standin.calls.map((c) => [c.method, c.token])).toEqual([
      ['auth.test', 'xoxb-wrong'],
      ['chat.postMessage', undefined],
    ]);
    expect(standin.messages('C1')).toEqual([]);
  });

  it('answers auth.test with the bot identity', async () => {
    expect(await client.auth.test()).toMatchObject({
      ok: true,
      team_id: 'T0001',
      user: 'vps-bot',
      user_id: 'U0BOT',
      bot_id: 'B0BOT',
    });
  });

  it('answers unknown_method to a method it does not play', async () => {
    expect(await slackError(client.apiCall('files.upload', {}))).toBe('unknown_method');
  });

  it('accepts JSON bodies and tokens in the body, as Slack does', async () => {
    const response = await fetch(`${standin.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        Authorization: `Bearer ${standin.botToken}`,
      },
      body: JSON.stringify({ channel: 'C1', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C1' });
    const form = await fetch(`${standin.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: standin.botToken }).toString(),
    });
    expect(await form.json()).toMatchObject({ ok: true });
    expect(standin.calls.map((c) => [c.method, c.token, c.args])).toEqual([
      ['chat.postMessage', standin.botToken, { channel: 'C1', text: 'json', blocks: [{ type: 'divider' }] }],
      ['auth.test', standin.botToken, {}],
    ]);
  });
});

describe('chat', () => {
  it('posts with fresh increasing ts, keeps thread_ts, and records JSON-string fields decoded', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
    const first = await client.chat.postMessage({ channel: 'C1', text: 'one', blocks });
    const reply = await client.chat.postMessage({ channel: 'C1', text: 'two', thread_ts: first.ts });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(reply.ts)).toBeGreaterThan(Number(first.ts));
    expect(reply.message).toMatchObject({ thread_ts: first.ts, text: 'two', user: 'U0BOT', bot_id: 'B0BOT' });
    expect(standin.callsTo('chat.postMessage')[0]?.args.blocks).toEqual(blocks);
    const stored = standin.messages('C1');
    expect(stored.map((m) => [m.text, m.thread_ts])).toEqual([
      ['one', undefined],
      ['two', first.ts],
    ]);
    // Slack gives every block a block_id.
    expect(stored[0]?.blocks).toEqual([{ ...blocks[0], block_id: expect.any(String) }]);
  });

  it('refuses an empty message with no_text and malformed blocks with invalid_blocks', async () => {
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: '' }))).toBe('no_text');
    expect(await slackError(client.apiCall('chat.postMessage', { channel: 'C1', blocks: '{not json' }))).toBe(
      'invalid_blocks',
    );
  });

  it('posting to a user id lands in the bot’s own DM, which it may post to again', async () => {
    const dm = await client.chat.postMessage({ channel: 'U0ALICE', text: 'Your server is ready' });
    expect(dm.channel).toMatch(/^D/);
    await client.chat.postMessage({ channel: dm.channel ?? '', text: 'again' });
    expect(standin.messages(dm.channel ?? '').map((m) => m.text)).toEqual(['Your server is ready', 'again']);
    const opened = await client.conversations.open({ users: 'U0BOB' });
    expect(await client.chat.postMessage({ channel: opened.channel?.id ?? '', text: 'hi' })).toMatchObject({
      ok: true,
    });
  });

  it('updates an existing message and answers message_not_found otherwise', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'before' });
    const ts = posted.ts ?? '';
    const updated = await client.chat.update({ channel: 'C1', ts, text: 'after', blocks: [] });
    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts, text: 'after' });
    expect(standin.message('C1', ts)).toMatchObject({ text: 'after', blocks: [] });
    expect(await slackError(client.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    expect(await slackError(client.chat.update({ channel: 'C2', ts, text: 'x' }))).toBe('message_not_found');
    standin.setChannelMembership('C1', false);
    expect(await slackError(client.chat.update({ channel: 'C1', ts, text: 'x' }))).toBe('not_in_channel');
  });

  it('deletes messages and records ephemeral ones apart', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'doomed' });
    expect(await client.chat.delete({ channel: 'C1', ts: posted.ts ?? '' })).toMatchObject({ ok: true });
    expect(standin.messages('C1')).toEqual([]);
    expect(await slackError(client.chat.delete({ channel: 'C1', ts: posted.ts ?? '' }))).toBe(
      'message_not_found',
    );
    const ephemeral = await client.chat.postEphemeral({ channel: 'C1', user: 'U0ALICE', text: 'only you' });
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(standin.ephemeralMessages('C1')).toMatchObject([{ user: 'U0ALICE', text: 'only you' }]);
    expect(standin.messages('C1')).toEqual([]);
  });
});

describe('views', () => {
  const modal = {
    type: 'modal' as const,
    callback_id: 'cb',
    title: { type: 'plain_text' as const, text: 'T' },
    blocks: [],
  };

  it('opens with an issued trigger id once, and refuses unknown ones', async () => {
    const trigger = standin.newTriggerId();
    const opened = await client.views.open({ trigger_id: trigger, view: modal });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      hash: expect.any(String),
      callback_id: 'cb',
    });
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal }))).toBe(
      'exchanged_trigger_id',
    );
    expect(await slackError(client.views.open({ trigger_id: '123.456.abc', view: modal }))).toBe(
      'invalid_trigger_id',
    );
  });

  it('lets trigger ids expire after triggerTtlMs', async () => {
    const strict = new SlackStandin({ triggerTtlMs: 0 });
    await strict.listen();
    try {
      const strictClient = new webApi.WebClient(strict.botToken, {
        slackApiUrl: strict.apiUrl,
        retryConfig: { retries: 0 },
        logger: quiet,
      });
      expect(
        await slackError(strictClient.views.open({ trigger_id: strict.newTriggerId(), view: modal })),
      ).toBe('expired_trigger_id');
    } finally {
      await strict.close();
    }
  });

  it('refuses a view that is not a modal with invalid_arguments', async () => {
    const bad = { ...modal, type: 'home' as const };
    expect(await slackError(client.views.open({ trigger_id: standin.newTriggerId(), view: bad }))).toBe(
      'invalid_arguments',
    );
  });

  it('updates by view_id with a hash check, and pushes', async () => {
    const opened = await client.views.open({ trigger_id: standin.newTriggerId(), view: modal });
    const id = opened.view?.id ?? '';
    const hash = opened.view?.hash ?? '';
    const updated = await client.views.update({ view_id: id, hash, view: { ...modal, callback_id: 'cb2' } });
    expect(standin.view(id)).toMatchObject({ id, callback_id: 'cb2', hash: updated.view?.hash });
    expect(await slackError(client.views.update({ view_id: id, hash, view: modal }))).toBe('hash_conflict');
    expect(await slackError(client.views.update({ view_id: 'VNOPE', view: modal }))).toBe('not_found');
    const pushed = await client.views.push({ trigger_id: standin.newTriggerId(), view: modal });
    expect(pushed.view?.id).not.toBe(id);
  });
});

describe('usergroups and conversations', () => {
  it('lists configured user groups and answers no_such_subteam otherwise', async () => {
    standin.setUsergroup('S0ADMINS', ['U0ALICE', 'U0BOB']);
    expect(await client.usergroups.users.list({ usergroup: 'S0ADMINS' })).toMatchObject({
      users: ['U0ALICE', 'U0BOB'],
    });
    expect(await slackError(client.usergroups.users.list({ usergroup: 'S0NONE' }))).toBe('no_such_subteam');
  });

  it('describes a channel minimally', async () => {
    standin.setChannelMembership('C0OPS', false);
    expect((await client.conversations.info({ channel: 'C0OPS' })).channel).toMatchObject({
      id: 'C0OPS',
      name: 'ops',
      is_channel: true,
      is_member: false,
    });
  });
});

describe('failure injection', () => {
  it('failNext fails the given number of matching calls, then lets calls through', async () => {
    standin.failNext('chat.postMessage', 'channel_is_archived', {
      times: 2,
      match: (args) => args.channel === 'C9',
    });
    expect(await slackError(client.chat.postMessage({ channel: 'C9', text: 'a' }))).toBe(
      'channel_is_archived',
    );
    await client.chat.postMessage({ channel: 'C1', text: 'other channel' });
    expect(await slackError(client.chat.postMessage({ channel: 'C9', text: 'b' }))).toBe(
      'channel_is_archived',
    );
    await client.chat.postMessage({ channel: 'C9', text: 'c' });
    expect(standin.messages('C9').map((m) => m.text)).toEqual(['c']);
  });

  it('rateLimitNext answers HTTP 429 with Retry-After', async () => {
    standin.rateLimitNext('chat.postMessage', 7);
    const rejecting = webClient(standin.botToken, { rejectRateLimitedCalls: true });
    const error: unknown = await rejecting.chat
      .postMessage({ channel: 'C1', text: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(webApi.WebAPIRateLimitedError);
    expect(error).toMatchObject({ retryAfter: 7 });
    expect(standin.calls).toMatchObject([
      { method: 'chat.postMessage', status: 429, response: { error: 'ratelimited' } },
    ]);
    expect(await rejecting.chat.postMessage({ channel: 'C1', text: 'x' })).toMatchObject({ ok: true });
  });

  it('a failure or a rate limit can be withdrawn before its calls are used up', async () => {
    const lift = standin.rateLimitNext('chat.update', 0, { times: 100 });
    const unfail = standin.failNext('chat.postMessage', 'is_archived', { times: 100 });
    const rejecting = webClient(standin.botToken, { rejectRateLimitedCalls: true });
    await expect(rejecting.chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).rejects.toBeInstanceOf(
      webApi.WebAPIRateLimitedError,
    );
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'a' }))).toBe('is_archived');
    lift();
    unfail();
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'b' });
    expect(await client.chat.update({ channel: 'C1', ts: String(posted.ts), text: 'c' })).toMatchObject({
      ok: true,
    });
  });

  it('a WebClient that retries waits Retry-After and succeeds on the next try', async () => {
    standin.rateLimitNext('chat.postMessage', 0);
    const retrying = webClient(standin.botToken, { retryConfig: { retries: 1, factor: 1, minTimeout: 0 } });
    expect(await retrying.chat.postMessage({ channel: 'C1', text: 'x' })).toMatchObject({ ok: true });
    expect(standin.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });
});

describe('response URLs', () => {
  it('records posts, keeps the message they show, and answers 404 once expired', async () => {
    const url = standin.newResponseUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\/.+/);
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ text: 'first' })).status).toBe(200);
    expect((await post({ text: 'second', replace_original: true })).status).toBe(200);
    expect(standin.responseMessage(url)).toMatchObject({ text: 'second', response_type: 'ephemeral' });
    await post({ delete_original: true });
    expect(standin.responseMessage(url)).toBeUndefined();
    standin.expireResponseUrl(url);
    expect((await post({ text: 'late' })).status).toBe(404);
    expect(standin.callsTo('response_url').map((c) => [c.args.text, c.status, c.args.url])).toEqual([
      ['first', 200, url],
      ['second', 200, url],
      [undefined, 200, url],
      ['late', 404, url],
    ]);
  });

  it('posts an in_channel response into the channel it came from', async () => {
    const url = standin.newResponseUrl({ channel: 'C0GENERAL' });
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'in_channel', text: 'for everyone' }),
    });
    expect(standin.messages('C0GENERAL')).toMatchObject([{ text: 'for everyone', user: 'U0BOT' }]);
  });

  it('failResponseUrlNext answers 503 (or the status given) the given number of times, changing nothing', async () => {
    const url = standin.newResponseUrl();
    const other = standin.newResponseUrl();
    standin.failResponseUrlNext({ url, times: 2 });
    standin.failResponseUrlNext({ url, status: 500 });
    const post = (to: string, text: string) =>
      fetch(to, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }),
      });
    expect((await post(other, 'elsewhere')).status).toBe(200);
    expect((await post(url, 'a')).status).toBe(503);
    expect(standin.responseMessage(url)).toBeUndefined();
    expect((await post(url, 'b')).status).toBe(503);
    expect((await post(url, 'c')).status).toBe(500);
    expect((await post(url, 'd')).status).toBe(200);
    expect(standin.responseMessage(url)).toMatchObject({ text: 'd' });
    expect(standin.callsTo('response_url').map((c) => [c.args.text, c.status, c.args.url === url])).toEqual([
      ['elsewhere', 200, false],
      ['a', 503, true],
      ['b', 503, true],
      ['c', 500, true],
      ['d', 200, true],
    ]);
  });

  it('failResponseUrlNext with reset drops the connection unanswered, recorded with status 0', async () => {
    const url = standin.newResponseUrl();
    standin.failResponseUrlNext({ reset: true });
    const post = (text: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }),
      });
    await expect(post('lost')).rejects.toThrow('fetch failed');
    expect(standin.responseMessage(url)).toBeUndefined();
    expect((await post('kept')).status).toBe(200);
    expect(standin.callsTo('response_url').map((c) => [c.args.text, c.status])).toEqual([
      ['lost', 0],
      ['kept', 200],
    ]);
  });

  it('reset forgets response URL failures too', async () => {
    standin.failResponseUrlNext({ times: 5 });
    standin.reset();
    const url = standin.newResponseUrl();
    expect((await fetch(url, { method: 'POST', body: '{"text":"x"}' })).status).toBe(200);
  });
});

describe('waiting for calls', () => {
  it('resolves for calls already recorded and for calls still to come', async () => {
    await client.chat.postMessage({ channel: 'C1', text: 'early' });
    const early = await standin.waitFor('chat.postMessage');
    expect(early.args.text).toBe('early');
    const later = standin.waitFor('chat.postMessage', (c: Call) => c.args.text === 'later');
    const two = standin.waitForCount('chat.postMessage', 2);
    await client.chat.postMessage({ channel: 'C1', text: 'later' });
    expect((await later).args.text).toBe('later');
    expect((await two).map((c) => c.args.text)).toEqual(['early', 'later']);
  });

  it('emits a call event for each call', async () => {
    const seen: string[] = [];
    const listener = (call: Call) => seen.push(call.method);
    standin.on('call', listener);
    await client.auth.test();
    standin.off('call', listener);
    expect(seen).toEqual(['auth.test']);
  });

  it('rejects with the calls seen, or that there were none', async () => {
    await expect(standin.waitForCount('views.open', 2, undefined, { timeoutMs: 20 })).rejects.toThrow(
      'SlackStandin: waited 20 ms for 2 matching calls (saw 0) to views.open, in vain. No calls were recorded.',
    );
  });

  it('reset forgets calls, messages, views, failures, groups and membership', async () => {
    standin.failNext('auth.test', 'account_inactive');
    standin.setUsergroup('S1', ['U1']);
    standin.setChannelMembership('C1', false);
    standin.reset();
    await client.auth.test();
    await client.chat.postMessage({ channel: 'C1', text: 'member again' });
    expect(await slackError(client.usergroups.users.list({ usergroup: 'S1' }))).toBe('no_such_subteam');
    expect(standin.calls.map((c) => c.method)).toEqual([
      'auth.test',
      'chat.postMessage',
      'usergroups.users.list',
    ]);
  });
});
