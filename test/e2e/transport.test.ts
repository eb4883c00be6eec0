import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type Harness, replyTo, textOf, useHarness } from './harness.js';

let h: Harness;
useHarness((started) => {
  h = started;
});

describe('HTTP mode', () => {
  it('called auth.test at start and answers /healthz once ready', async () => {
    const url = new URL('/healthz', h.slack.botUrl);
    const health = await fetch(url);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect(h.logText()).toContain("apiCall('auth.test') end");
  });

  it('rejects a bad signature: 401, nothing reaches VPS.org', async () => {
    const sent = await h.slack.command({ text: 'stop web-server-01' }, { signature: 'bad' });
    expect(sent.status).toBe(401);
    await h.idle();
    expect(h.sim.requests).toEqual([]);
    expect(h.slack.callsTo('response_url')).toEqual([]);
  });

  it('rejects a bad signature however the endpoint is spelt: Bolt trusts the gate to check it', async () => {
    const { body } = h.slack.prepareCommand({ text: 'stop web-server-01' });
    const endpoint = new URL('/', h.slack.botUrl);
    const spellings = ['/slack/events?retry=1', '/slack/./events', '/./slack/events', '/slack/x/../events'];
    for (const path of spellings) {
      const status = await new Promise<number>((resolve, reject) => {
        const sent = request(
          {
            host: endpoint.hostname,
            port: endpoint.port,
            method: 'POST',
            path,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
              'x-slack-signature': 'v0=bad',
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        sent.on('error', reject);
        sent.end(body);
      });
      expect({ path, status }).toEqual({ path, status: 401 });
    }
    await h.idle();
    expect(h.sim.requests).toEqual([]);
    expect(h.slack.callsTo('response_url')).toEqual([]);
  });

  it('rejects a stale timestamp: 401, nothing reaches VPS.org', async () => {
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const sent = await h.slack.command({ text: 'list' }, { timestamp: tenMinutesAgo });
    expect(sent.status).toBe(401);
    await h.idle();
    expect(h.sim.requests).toEqual([]);
  });

  it('acks at once even while VPS.org hangs, then answers when it can', async () => {
    h.sim.setLatency(1500);
    const sent = await h.slack.command({ text: 'list' });
    expect(sent.status).toBe(200);
    // The ack came back before VPS.org answered anything.
    expect(h.sim.requests).toEqual([]);
    const reply = await replyTo(h.slack, sent.responseUrl);
    expect(textOf(reply)).toContain('web-server-01');
  });

  it('does nothing twice for a retried delivery (X-Slack-Retry-Num)', async () => {
    const first = await h.slack.command({ text: 'start staging-01' });
    await h.idle();
    const retry = await h.slack.redeliver(first);
    expect(retry.status).toBe(200);
    await h.idle();
    expect(h.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(h.logText()).toContain('repeated delivery ignored');
  });
});
