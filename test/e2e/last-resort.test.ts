import { describe, expect, it } from 'vitest';
import type { Confirmation, RedeemOutcome } from '../../src/records.js';
import { MemoryStore } from '../../src/store/memory.js';
import { ask, clickReply, type Harness, replyTo, textOf, useHarness } from './harness.js';

/** The real store, with a failure to inject: its next save or redeem throws, as a full disk would. */
class BreakableStore extends MemoryStore {
  breakNext: 'save' | 'redeem' | undefined;

  #take(what: 'save' | 'redeem'): void {
    if (this.breakNext !== what) return;
    this.breakNext = undefined;
    throw new Error('ENOSPC: no space left on device');
  }

  override async saveConfirmation(confirmation: Confirmation): Promise<void> {
    this.#take('save');
    return super.saveConfirmation(confirmation);
  }

  override async redeemConfirmation(id: string, userId: string, now: number): Promise<RedeemOutcome> {
    this.#take('redeem');
    return super.redeemConfirmation(id, userId, now);
  }
}

const store = new BreakableStore();
let h: Harness;
useHarness(
  (started) => {
    h = started;
  },
  { store },
);

const UNEXPECTED = 'Something went wrong inside vps-bot; nothing more was done. The details are in its log.';

function errorLinesSince(from: number) {
  return h.logs.slice(from).filter((line) => line.level === 'error' || line.level === 'fatal');
}

describe('an unexpected (non-VPS.org) error in one request', () => {
  it('in a command: the person is told, one log line has the stack and the context, the next is served', async () => {
    const from = h.logs.length;
    store.breakNext = 'save';
    const failed = await ask(h.slack, 'stop web-server-01');
    expect(failed.text).toContain(UNEXPECTED);
    expect(failed.text).not.toContain('ENOSPC');
    await h.idle();
    const lines = errorLinesSince(from);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'handler failed',
      err: 'ENOSPC: no space left on device',
      request: 'slash_command',
      user: 'U0ALICE',
      command: '/vps',
    });
    expect(String(lines[0]?.stack)).toMatch(/\n\s+at /);
    expect(JSON.stringify(lines[0])).not.toContain(h.slack.botToken);

    const next = await ask(h.slack, 'stop web-server-01');
    expect(next.text).toContain('Stop *web-server-01*?');
    expect(h.sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('in a click: the same, with the action in the context', async () => {
    const prompt = await ask(h.slack, 'stop web-server-01');
    const from = h.logs.length;
    store.breakNext = 'redeem';
    const click = await clickReply(h.slack, prompt, 'vps.confirm');
    expect(click.status).toBe(200);
    const told = await replyTo(h.slack, prompt.sent.responseUrl, 1);
    expect(textOf(told)).toContain(UNEXPECTED);
    await h.idle();
    const lines = errorLinesSince(from);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'handler failed',
      request: 'block_actions',
      user: 'U0ALICE',
      action_id: 'vps.confirm',
    });
    expect(String(lines[0]?.stack)).toMatch(/\n\s+at /);
    // Nothing reached VPS.org, and the same prompt still works.
    expect(h.sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
    await clickReply(h.slack, prompt, 'vps.confirm');
    await h.slack.waitFor('chat.postMessage', (c) => textOf(c).includes('stopped *web-server-01*'));
  });
});
