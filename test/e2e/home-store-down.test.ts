import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { limitViolations } from '../../src/slack/blocks/check.js';
import { RedisStore } from '../../src/store/redis.js';
import { RedisServer } from '../redis/server.js';
import { type Harness, startHarness, textOf } from './harness.js';

// The Home tab while Redis is away: the fleet (a lookup that needs no state) is still shown, with
// one clear line for what the store holds, and the tab is whole again once Redis is back.

let redis: RedisServer;
let h: Harness;
beforeAll(async () => {
  redis = await RedisServer.start();
  const logger = createLogger({ level: 'error', secrets: [], write: () => undefined });
  const store = await RedisStore.open(redis.url(), logger);
  h = await startHarness({ store, env: { VPS_OPERATORS: 'U0ALICE', VPS_WATCH_SECONDS: '3600' } });
});
afterAll(async () => {
  await h?.stop();
  await redis?.close();
});

async function untilHealth(status: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await fetch(new URL('/healthz', h.slack.botUrl))).status !== status) {
    if (Date.now() > deadline) throw new Error(`/healthz never answered ${status}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function openHome(user: string): Promise<string> {
  const before = h.slack.callsTo('views.publish').filter((c) => c.args.user_id === user).length;
  await h.slack.openHome(user);
  const call = await h.slack.waitForCount('views.publish', before + 1, (c) => c.args.user_id === user);
  const view = h.slack.homeView(user);
  if (!view) throw new Error('no Home view');
  expect(limitViolations(view)).toEqual([]);
  return textOf(call.at(-1));
}

describe('App Home while the state store is away', () => {
  it('still shows the fleet, says what it cannot show, and is whole again once Redis is back', async () => {
    await redis.stop();
    await untilHealth(503);
    const down = await openHome('U0ALICE');
    expect(down).toContain('*Fleet*: 3 servers');
    expect(down).toMatch(/state store is unavailable/);
    expect(down).toContain('web-server-01');

    await redis.start();
    await untilHealth(200);
    const back = await openHome('U0BOB');
    expect(back).toContain('*Scheduled*: nothing.');
    expect(back).not.toMatch(/state store is unavailable/);
  });
});
