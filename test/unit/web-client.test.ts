import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackLogger } from '../../src/log.js';
import { type RateLimitPolicy, SlackClient } from '../../src/slack/web-client.js';
import { SlackStandin } from '../../src/slack-standin/index.js';
import { collectLogger } from './helpers.js';

const standin = new SlackStandin();
beforeAll(() => standin.listen());
afterAll(() => standin.close());
beforeEach(() => standin.reset());

type Outcome = [method: string, error: string | undefined];

function client(rateLimit: RateLimitPolicy = { retries: 3, maxWaitMs: 30_000 }) {
  const outcomes: Outcome[] = [];
  const slack = new SlackClient(standin.botToken, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
    logger: slackLogger(collectLogger().logger),
    rateLimit,
    onCall: (method, error) =>
      outcomes.push([method, error === undefined ? undefined : (error as { code?: string }).code]),
  });
  return { slack, outcomes };
}

const statuses = (method: string) => standin.callsTo(method).map((call) => call.status);

describe('SlackClient', () => {
  it('a rate-limited call waits its Retry-After, then succeeds', async () => {
    const { slack, outcomes } = client();
    standin.rateLimitNext('chat.postMessage', 0, { times: 2 });
    expect(await slack.chat.postMessage({ channel: 'C1', text: 'x' })).toMatchObject({ ok: true });
    expect(statuses('chat.postMessage')).toEqual([429, 429, 200]);
    expect(outcomes).toEqual([['chat.postMessage', undefined]]);
  });

  it('gives up after its retries, with the rate-limit error', async () => {
    const { slack, outcomes } = client({ retries: 2, maxWaitMs: 30_000 });
    standin.rateLimitNext('chat.update', 0, { times: 5 });
    await expect(slack.chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).rejects.toBeInstanceOf(
      webApi.WebAPIRateLimitedError,
    );
    expect(statuses('chat.update')).toEqual([429, 429, 429]);
    expect(outcomes).toEqual([['chat.update', 'slack_webapi_rate_limited_error']]);
  });

  it('does not wait a Retry-After beyond its bound: fails at once', async () => {
    const { slack } = client({ retries: 3, maxWaitMs: 5000 });
    standin.rateLimitNext('chat.postMessage', 60);
    await expect(slack.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      retryAfter: 60,
    });
    expect(statuses('chat.postMessage')).toEqual([429]);
  });

  it('one call waiting out a limit does not hold back another', async () => {
    const { slack } = client();
    standin.rateLimitNext('chat.update', 30, { match: (args) => args.channel === 'C0BUSY' });
    const waiting = slack.chat.update({ channel: 'C0BUSY', ts: '1.2', text: 'x' });
    await standin.waitFor('chat.update', (call) => call.status === 429);
    // WebClient's own handling would pause its whole queue for 30 s here.
    const posted = await slack.chat.postMessage({ channel: 'C0QUIET', text: 'y' });
    expect(posted.ok).toBe(true);
    slack.stopWaiting();
    await expect(waiting).rejects.toBeInstanceOf(webApi.WebAPIRateLimitedError);
  });

  it('tells every outcome, errors included', async () => {
    const { slack, outcomes } = client();
    standin.failNext('views.open', 'expired_trigger_id');
    await expect(
      slack.views.open({
        trigger_id: 't',
        view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] },
      }),
    ).rejects.toBeInstanceOf(webApi.WebAPIPlatformError);
    await slack.auth.test();
    expect(outcomes).toEqual([
      ['views.open', 'slack_webapi_platform_error'],
      ['auth.test', undefined],
    ]);
  });
});
