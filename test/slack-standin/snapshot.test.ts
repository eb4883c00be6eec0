import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackStandin } from '../../src/slack-standin/index.js';

const open: SlackStandin[] = [];

async function started(): Promise<{ standin: SlackStandin; client: webApi.WebClient }> {
  const standin = new SlackStandin();
  await standin.listen();
  open.push(standin);
  const client = new webApi.WebClient(standin.botToken, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
  });
  return { standin, client };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((standin) => standin.close()));
});

describe('snapshots', () => {
  it('a new stand-in restored from a snapshot shows the same workspace, and its ids go on from there', async () => {
    const before = await started();
    before.standin.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Ops', tz: 'UTC' });
    before.standin.addChannel({ id: 'C0OPS', name: 'ops' });
    before.standin.setUsergroup('S0OPS', ['U0CAROL']);
    before.standin.openDm('U0ALICE');
    const card = await before.client.chat.postMessage({ channel: 'C0OPS', text: 'card' });
    await before.client.chat.postMessage({ channel: 'C0OPS', text: 'outcome', thread_ts: card.ts ?? '' });
    const sent = before.standin.prepareCommand({ text: 'show', user: 'U0ALICE', channel: 'C0OPS' });
    await fetch(sent.responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'just for Alice' }),
    });
    await before.client.views.open({
      trigger_id: sent.triggerId,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Form' }, blocks: [] },
    });
    // Through JSON, as it goes to disk.
    const snapshot: unknown = JSON.parse(JSON.stringify(before.standin.snapshot()));

    const after = await started();
    after.standin.restore(snapshot);
    expect(after.standin.messages('C0OPS')).toEqual(before.standin.messages('C0OPS'));
    expect(after.standin.ephemeralMessages('C0OPS')).toEqual(before.standin.ephemeralMessages('C0OPS'));
    expect(after.standin.modals('U0ALICE')).toEqual(before.standin.modals('U0ALICE'));
    expect(after.standin.users()).toEqual(before.standin.users());
    expect((await after.client.usergroups.users.list({ usergroup: 'S0OPS' })).users).toEqual(['U0CAROL']);
    expect((await after.client.conversations.info({ channel: 'C0OPS' })).channel?.name).toBe('ops');
    const next = await after.client.chat.postMessage({ channel: 'D0ALICE', text: 'new' });
    expect(Number(next.ts)).toBeGreaterThan(Number(before.standin.messages('C0OPS').at(-1)?.ts));

    // The response URL from before the restart still replaces what it showed (on the new port).
    const path = new URL(sent.responseUrl).pathname;
    await fetch(`${after.standin.origin}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'redrawn', replace_original: true }),
    });
    expect(after.standin.ephemeralMessages('C0OPS')).toMatchObject([{ user: 'U0ALICE', text: 'redrawn' }]);
  });

  it('refuses a malformed snapshot and keeps what it had', async () => {
    const { standin, client } = await started();
    await client.chat.postMessage({ channel: 'C1', text: 'kept' });
    expect(() => standin.restore({ version: 1, ids: {} })).toThrow();
    expect(standin.messages('C1')).toMatchObject([{ text: 'kept' }]);
  });
});
