import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReplyError, responseUrlPoster, retryWait } from '../../src/slack/response-url.js';
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

  it('does not follow a redirect: the reply goes only to the URL Slack gave', async () => {
    const other = slack.newResponseUrl();
    const seen: string[] = [];
    const url = await answering((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(307, { location: other }).end();
    });
    await expect(post(url, { text: 'x' })).rejects.toThrow('the response_url answered HTTP 307');
    expect(seen).toHaveLength(1);
    expect(attempts(other)).toEqual([]);
  });

  it("waits a 503's Retry-After instead of its backoff", async () => {
    const arrivals: number[] = [];
    const url = await answering((_req, res) => {
      arrivals.push(performance.now());
      if (arrivals.length === 1) res.writeHead(503, { 'retry-after': '1' }).end();
      else res.writeHead(200).end('ok');
    });
    await post(url, { text: 'later' });
    expect(arrivals).toHaveLength(2);
    expect(backoff).toEqual([]);
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('gives up an attempt that runs out of time, without another try: the reply may have arrived', async () => {
    let arrived = 0;
    const url = await answering(() => {
      arrived += 1;
    });
    const impatient = responseUrlPoster({ timeoutMs: 200, delayMs: () => 5 });
    await expect(impatient(url, { text: 'slow' })).rejects.toThrow('the response_url did not answer in time');
    expect(arrived).toBe(1);
  });
});

describe('retryWait', () => {
  const policy = { limit: 3, delayMs: (attempt: number) => attempt * 100, timeoutMs: 10_000 };
  const dropped = ['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET'];
  // As RetryHandler makes it: undici's types declare (headers, body), its class takes { headers, data }.
  const status = (code: number, headers: Record<string, string> = {}) =>
    new errors.RequestRetryError('Request failed', code, { headers, data: { count: 1 } } as never);
  const network = (code: string) => Object.assign(new Error('socket trouble'), { code });

  it('retries 5xx and dropped connections with the backoff, up to the limit', () => {
    expect(retryWait(status(500), 1, policy, dropped)).toBe(100);
    expect(retryWait(status(504), 3, policy, dropped)).toBe(300);
    expect(retryWait(status(503), 4, policy, dropped)).toBeUndefined();
    expect(retryWait(network('UND_ERR_SOCKET'), 2, policy, dropped)).toBe(200);
    expect(retryWait(network('ECONNREFUSED'), 1, policy, dropped)).toBe(100);
  });

  it('does not retry a 4xx, a redirect, a timeout or an unknown failure', () => {
    for (const code of [400, 404, 410, 429, 302])
      expect(retryWait(status(code), 1, policy, dropped)).toBeUndefined();
    expect(retryWait(network('UND_ERR_HEADERS_TIMEOUT'), 1, policy, dropped)).toBeUndefined();
    expect(retryWait(new Error('no code'), 1, policy, dropped)).toBeUndefined();
  });

  it("takes a 503's readable Retry-After, at most 5 s; an unreadable one counts as none", () => {
    expect(retryWait(status(503, { 'retry-after': '2' }), 1, policy, dropped)).toBe(2000);
    expect(retryWait(status(503, { 'retry-after': '120' }), 1, policy, dropped)).toBe(5000);
    expect(retryWait(status(503, { 'retry-after': 'soon' }), 1, policy, dropped)).toBe(100);
    expect(retryWait(status(503, { 'retry-after': '-5' }), 2, policy, dropped)).toBe(200);
    expect(retryWait(status(502, { 'retry-after': '2' }), 1, policy, dropped)).toBe(100);
  });
});

const servers: ReturnType<typeof createServer>[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A response URL on its own loopback server, answered by `handle`. */
async function answering(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/response/T1/hook`;
}
