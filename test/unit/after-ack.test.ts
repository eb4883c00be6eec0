import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/inflight.js';
import type { SlackMessage } from '../../src/slack/blocks/kit.js';
import type { Reply } from '../../src/slack/handlers/context.js';
import { afterAck } from '../../src/slack/listeners/after-ack.js';
import { collectLogger } from './helpers.js';

/** A reply that keeps what it was asked to say. */
function keptReply(): Reply & { said: SlackMessage[] } {
  const said: SlackMessage[] = [];
  const keep = async (message: SlackMessage) => {
    said.push(message);
  };
  return { said, ephemeral: keep, replace: keep, inChannel: keep };
}

describe('afterAck', () => {
  it('work that throws after the ack: one log line with stack and context, the person told, no rejection', async () => {
    const inflight = new InFlight();
    const { logger, records } = collectLogger();
    const reply = keptReply();
    const about = { request: 'block_actions', user: 'U0ALICE', action_id: 'vps.refresh' };
    await expect(
      afterAck(inflight, logger, { about, reply }, async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'id')");
      }),
    ).resolves.toBeUndefined();
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'request failed',
        err: "Cannot read properties of undefined (reading 'id')",
        stack: expect.stringMatching(/^TypeError: .*\n\s+at /),
        ...about,
      }),
    ]);
    expect(reply.said.map((message) => message.text)).toEqual([
      'Something went wrong inside vps-bot; nothing more was done. The details are in its log.',
    ]);
    expect(inflight.size).toBe(0);
  });

  it('is tracked while it runs, so a shutdown waits for it', async () => {
    const inflight = new InFlight();
    const { logger } = collectLogger();
    let finish = () => {};
    const running = afterAck(inflight, logger, {}, () => new Promise<void>((resolve) => (finish = resolve)));
    expect(inflight.size).toBe(1);
    finish();
    await running;
    expect(await inflight.drain(1000)).toBe(true);
  });
});
