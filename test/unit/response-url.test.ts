import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReplyError, responseUrlPoster } from '../../src/slack/response-url.js';
import { SlackStandin } from '../../src/slack-standin/index.js';

const slack = new SlackStandin();
const backoff: number[] = [];
const post = responseUrlPoster({
  delayMs: (attempt) => {
    backoff.push(attempt);
    return 5;
  },
});

beforeAll(() => slack.listen());
afterAll(() => slack.close());
beforeEach(() => {
  slack.reset();
  backoff.length = 0;
});

function attempts(url: string): number[] {
  return slack.callsTo('response_url').flatMap((call) => (call.args.url === url ? [call.status] : []));
}

describe('responseUrlPoster', () => {
  it('posts the message once when the response URL answers', async () => {
    const url = slack.newResponseUrl();
    await post(url, { text: 'hello', response_type: 'ephemeral' });
    expect(attempts(url)).toEqual([200]);
    expect(slack.responseMessage(url)).toMatchObject({ text: 'hello' });
  });

  it('retries 5xx answers with backoff: two 503s then success, the reply arrives once', async () => {
    const url = slack.newResponseUrl();
    slack.failResponseUrlNext({ url, times: 2 });
    await post(url, { text: 'after two failures' });
    expect(attempts(url)).toEqual([503, 503, 200]);
    expect(backoff).toEqual([1, 2]);
    expect(slack.responseMessage(url)).toMatchObject({ text: 'after two failures' });
  });

  it('retries 500, 502 and 504 too, and a dropped connection', async () => {
    const url = slack.newResponseUrl();
    slack.failResponseUrlNext({ url, status: 500 });
    slack.failResponseUrlNext({ url, reset: true });
    slack.failResponseUrlNext({ url, status: 504 });
    await post(url, { text: 'at last' });
    expect(attempts(url)).toEqual([500, 0, 504, 200]);
  });

  it('gives up after 4 attempts with one ReplyError that does not hold the URL', async () => {
    const url = slack.newResponseUrl();
    slack.failResponseUrlNext({ url, times: 4 });
    const error = await post(url, { text: 'never' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyError);
    expect((error as ReplyError).message).toBe('the response_url answered HTTP 503');
    expect((error as ReplyError).status).toBe(503);
    expect(String((error as ReplyError).stack)).not.toContain(url);
    expect(attempts(url)).toEqual([503, 503, 503, 503]);
    expect(slack.responseMessage(url)).toBeUndefined();
  });

  it('does not retry what another try cannot fix: an expired URL (404) or a 4xx', async () => {
    const expired = slack.newResponseUrl();
    slack.expireResponseUrl(expired);
    const gone = await post(expired, { text: 'late' }).catch((e: unknown) => e);
    expect((gone as ReplyError).status).toBe(404);
    expect(attempts(expired)).toEqual([404]);
    const url = slack.newResponseUrl();
    slack.failResponseUrlNext({ url, status: 400 });
    await expect(post(url, { text: 'bad' })).rejects.toThrow('the response_url answered HTTP 400');
    expect(attempts(url)).toEqual([400]);
  });

  it('says an unreachable URL in words without the URL', async () => {
    const error = await post('http://127.0.0.1:9/response/secret-hook', { text: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReplyError);
    expect((error as ReplyError).message).toMatch(/^the response_url could not be reached/);
    expect(String((error as ReplyError).stack)).not.toContain('secret-hook');
  });
});
