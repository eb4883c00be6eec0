import { afterEach, describe, expect, it } from 'vitest';
import { clientState } from '../../src/playground/client-state.js';
import { EventStream } from '../../src/playground/events.js';
import { Routes } from '../../src/playground/routes.js';
import { furnish } from '../../src/playground/workspace.js';
import { SlackStandin } from '../../src/slack-standin/index.js';
import { CaptureBot } from '../slack-standin/capture-bot.js';

const COMMAND = { name: '/vps', description: '', usageHint: '' };
const HOME = {
  type: 'home',
  blocks: [
    {
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Stop' }, action_id: 'vps.stop', value: '1' },
      ],
    },
  ],
};

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

type Post = (path: string, body: unknown) => Promise<Response>;

/** The page's routes on a stand-in, with a bot that only records what reaches it. */
async function playground(): Promise<{ slack: SlackStandin; bot: CaptureBot; post: Post }> {
  const events = new EventStream();
  let port = 0;
  let routes: Routes | undefined;
  const slack = new SlackStandin({
    intercept: (req, res) => routes?.handle(req, res) ?? Promise.resolve(false),
  });
  routes = new Routes(
    {
      slack,
      panel: undefined,
      externalVpsUrl: 'https://vps.example',
      events,
      assets: new Map(),
      command: COMMAND,
      ready: Promise.resolve(),
      changed: () => undefined,
      clearConversation: () => undefined,
    },
    () => port,
  );
  await slack.listen();
  port = Number(new URL(slack.origin).port);
  furnish(slack);
  const bot = new CaptureBot();
  slack.botUrl = await bot.start();
  cleanup.push(
    () => slack.close(),
    () => bot.stop(),
    () => events.close(),
  );
  const post: Post = (path, body) =>
    fetch(`${slack.origin}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { slack, bot, post };
}

async function publish(slack: SlackStandin, user: string): Promise<string> {
  const answer = await fetch(`${slack.apiUrl}views.publish`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${slack.botToken}` },
    body: JSON.stringify({ user_id: user, view: HOME }),
  });
  const json = (await answer.json()) as { ok: boolean; view: { id: string } };
  expect(json.ok).toBe(true);
  return json.view.id;
}

describe('the Home tab in the page', () => {
  it('shows a person their own Home view only, as vps-bot last published it', async () => {
    const { slack } = await playground();
    await publish(slack, 'U0CAROL');
    const vps = { kind: 'external' as const, url: '' };
    expect(clientState(slack, 'U0CAROL', vps, COMMAND).home).toMatchObject({
      type: 'home',
      blocks: HOME.blocks,
    });
    expect(clientState(slack, 'U0ALICE', vps, COMMAND).home).toBeNull();
    expect(clientState(slack, 'U0ALICE', vps, COMMAND).people.map((p) => p.tz)).toEqual([
      'Europe/London',
      'America/New_York',
      'Asia/Tokyo',
    ]);
  });

  it('showing it sends vps-bot app_home_opened for that person, signed', async () => {
    const { post, bot } = await playground();
    const answer = await post('/playground/home', { user: 'U0BOB' });
    expect(await answer.json()).toEqual({ ok: true });
    const [received] = bot.received;
    expect(received?.headers['x-slack-signature']).toMatch(/^v0=/);
    expect(JSON.parse(received?.rawBody ?? '{}')).toMatchObject({
      type: 'event_callback',
      event: { type: 'app_home_opened', user: 'U0BOB', tab: 'home' },
    });
    expect((await post('/playground/home', { user: 'U0EVE' })).status).toBe(400);
  });

  it('a click in it reaches vps-bot as a click in that view, with no response_url; only its owner may click', async () => {
    const { slack, post, bot } = await playground();
    const viewId = await publish(slack, 'U0ALICE');
    const click = { user: 'U0ALICE', actionId: 'vps.stop', value: '1', viewId };
    expect(await (await post('/playground/click', click)).json()).toEqual({ ok: true });
    const payload = bot.lastPayload();
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE' },
      view: { id: viewId, type: 'home' },
      actions: [{ action_id: 'vps.stop', value: '1' }],
    });
    expect(payload.response_url).toBeUndefined();
    const bobs = await post('/playground/click', { ...click, user: 'U0BOB' });
    expect(bobs.status).toBe(409);
    expect(bot.received).toHaveLength(1);
  });
});
