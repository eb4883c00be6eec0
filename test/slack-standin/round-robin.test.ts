import { afterAll, beforeAll, expect, it } from 'vitest';
import { SlackStandin } from '../../src/slack-standin/index.js';
import { CaptureBot } from './capture-bot.js';

const standin = new SlackStandin();
const replicas = [new CaptureBot(), new CaptureBot()];

beforeAll(async () => {
  await standin.listen();
  standin.botUrls = await Promise.all(replicas.map((replica) => replica.start()));
});
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await standin.close();
});

const triggerOf = (rawBody: string): string | null => {
  const form = new URLSearchParams(rawBody);
  const payload = form.get('payload');
  return payload === null
    ? form.get('trigger_id')
    : (JSON.parse(payload) as { trigger_id: string }).trigger_id;
};

it('delivers to a list of replicas in turn, as a load balancer would: commands, clicks and retries alike', async () => {
  const [a, b] = replicas;
  if (!a || !b) throw new Error('two replicas');
  const first = await standin.command({ text: 'help' });
  const second = await standin.command({ text: 'list' });
  const click = await standin.click({
    message: {
      channel: 'C0GENERAL',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' } }],
        },
      ],
    },
    actionId: 'go',
  });
  const retry = await standin.redeliver(first);
  for (const ack of [first, second, click, retry]) expect(ack.status).toBe(200);

  expect(a.received.map((r) => triggerOf(r.rawBody))).toEqual([first.triggerId, click.triggerId]);
  expect(b.received.map((r) => triggerOf(r.rawBody))).toEqual([second.triggerId, first.triggerId]);
  // The retry is the same delivery, marked as Slack marks it, on the other replica.
  expect(b.received[1]?.rawBody).toBe(a.received[0]?.rawBody);
  expect(b.received[1]?.headers['x-slack-retry-num']).toBe('1');
});
