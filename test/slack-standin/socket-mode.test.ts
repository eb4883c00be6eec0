import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandin } from '../../src/slack-standin/index.js';
import { envelope, SocketModeSide } from '../../src/slack-standin/socket/index.js';
import { connect, type TestClient } from './socket-client.js';

const standin = new SlackStandin();
let side: SocketModeSide;

/** apps.connections.open over HTTP, as the WebClient calls it. */
async function open(token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${standin.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

async function connected(): Promise<TestClient> {
  const { url } = await open(standin.appToken);
  const client = await connect(String(url));
  expect(await client.next()).toMatchObject({
    type: 'hello',
    connection_info: { app_id: expect.any(String) },
  });
  return client;
}

beforeAll(async () => {
  await standin.listen();
  side = await SocketModeSide.start(standin);
});
afterAll(async () => {
  await side.close();
  await standin.close();
});
beforeEach(() => standin.reset());

describe('apps.connections.open', () => {
  it('answers a ws:// URL on 127.0.0.1 with a ticket for the app-level token, and records the call', async () => {
    const answer = await open(standin.appToken);
    expect(answer.ok).toBe(true);
    const url = new URL(String(answer.url));
    expect(url.protocol).toBe('ws:');
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).toBe(String(side.server.port));
    expect(url.pathname).toBe('/link/');
    expect(url.searchParams.get('ticket')).toMatch(/^[0-9a-f]+$/);
    expect(standin.callsTo('apps.connections.open')[0]?.token).toBe(standin.appToken);
  });

  it('refuses the bot token (not_allowed_token_type) and any other token (invalid_auth)', async () => {
    expect(await open(standin.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await open('xapp-1-someone-else')).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('answers invalid_auth once no Socket Mode side is plugged in', async () => {
    const plain = new SlackStandin();
    await plain.listen();
    try {
      const response = await fetch(`${plain.apiUrl}apps.connections.open`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${plain.appToken}` },
      });
      expect(await response.json()).toEqual({ ok: false, error: 'invalid_auth' });
    } finally {
      await plain.close();
    }
  });
});

describe('the WebSocket', () => {
  it('says hello on connection; a ticket works once, a made-up one never', async () => {
    const { url } = await open(standin.appToken);
    const before = side.connections;
    const client = await connect(String(url));
    const hello = await client.next();
    expect(hello).toMatchObject({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: expect.any(String) },
    });
    expect(side.connections).toBe(before + 1);
    await expect(connect(String(url))).rejects.toThrow(/401/);
    const forged = new URL(String(url));
    forged.searchParams.set('ticket', 'forged');
    await expect(connect(forged.href)).rejects.toThrow(/401/);
    client.socket.close();
    await client.closed;
  });

  it('delivers a slash command as Slack does and resolves with the ack; its response URL is the stand-in’s', async () => {
    const client = await connected();
    const delivery = side.command({ text: 'list', user: 'U0BOB' });
    const sent = await client.next();
    expect(sent).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      retry_attempt: 0,
      retry_reason: '',
      payload: { command: '/vps', text: 'list', user_id: 'U0BOB', channel_id: 'C0GENERAL' },
    });
    expect(sent.envelope_id).toMatch(/^[0-9a-f-]{36}$/);
    client.ack(String(sent.envelope_id), { text: 'working on it' });
    const result = await delivery;
    expect(result.ack).toMatchObject({ envelope_id: sent.envelope_id, payload: { text: 'working on it' } });
    expect(result.envelope).toEqual(sent);
    const payload = sent.payload as Record<string, unknown>;
    expect(payload.response_url).toBe(result.responseUrl);
    expect(payload.trigger_id).toBe(result.triggerId);
    expect(side.acks.at(-1)).toEqual(result.ack);
    // Replies to the response URL are recorded as in HTTP mode.
    await fetch(result.responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'done' }),
    });
    expect(standin.callsTo('response_url')[0]?.args.text).toBe('done');
    client.socket.close();
    await client.closed;
  });

  it('delivers clicks as interactive envelopes (no response payload for block_actions) and events as events_api', async () => {
    const client = await connected();
    const blocks = [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'vps.confirm', text: { type: 'plain_text', text: 'OK' } }],
      },
    ];
    const clicking = side.click({ message: { channel: 'C0GENERAL', blocks }, actionId: 'vps.confirm' });
    const click = await client.next();
    expect(click).toMatchObject({
      type: 'interactive',
      accepts_response_payload: false,
      payload: { type: 'block_actions', actions: [{ action_id: 'vps.confirm' }] },
    });
    client.ack(String(click.envelope_id));
    const clicked = await clicking;
    expect(clicked.ack).toEqual({ envelope_id: click.envelope_id, at: expect.any(Number) });
    expect((click.payload as Record<string, unknown>).response_url).toBe(clicked.responseUrl);

    const eventing = side.event({ type: 'app_home_opened', user: 'U0ALICE', tab: 'home' });
    const event = await client.next();
    expect(event).toMatchObject({
      type: 'events_api',
      accepts_response_payload: false,
      payload: { type: 'event_callback', event: { type: 'app_home_opened' } },
    });
    client.ack(String(event.envelope_id));
    expect((await eventing).eventId).toBe((event.payload as Record<string, unknown>).event_id);
    client.socket.close();
    await client.closed;
  });

  it('a retry repeats the envelope (same id and payload, retry_attempt 1) and waits for its own ack', async () => {
    const client = await connected();
    const first = side.command({ text: 'start staging-01' });
    const sent = await client.next();
    client.ack(String(sent.envelope_id));
    const again = side.redeliver(await first);
    const resent = await client.next();
    expect(resent).toEqual({ ...sent, retry_attempt: 1, retry_reason: 'timeout' });
    client.ack(String(resent.envelope_id));
    expect((await again).envelope.retry_attempt).toBe(1);
    client.socket.close();
    await client.closed;
  });

  it('rejects a delivery whose ack never comes, and one with no connection open', async () => {
    const client = await connected();
    const unanswered = side.deliver(envelope('events_api', { type: 'event_callback' }), { ackTimeoutMs: 50 });
    await expect(unanswered).rejects.toThrow(/no ack for envelope/);
    const closedBefore = side.server.closed;
    client.socket.close();
    await side.server.waitForClosed(closedBefore + 1);
    await expect(side.deliver(envelope('events_api', {}))).rejects.toThrow(/no open connection/);
  });

  it('tells the client to go with a disconnect message, and can drop it without a word', async () => {
    const client = await connected();
    side.disconnect();
    expect(await client.next()).toEqual({
      type: 'disconnect',
      reason: 'refresh_requested',
      debug_info: { host: expect.any(String) },
    });
    side.drop();
    expect(await client.closed).toBe(1006);
  });
});
