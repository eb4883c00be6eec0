import { describe, expect, it } from 'vitest';
import { ask as askVia, clickReply, type Harness, replyTo, textOf, useHarness } from './harness.js';

let h: Harness;
// Room for a busy machine: the storm waits for the held request within its time limit.
useHarness(
  (started) => {
    h = started;
  },
  { env: { VPS_API_TIMEOUT_SECONDS: '10' } },
);

const ONE = '/api/v1/servers/12345/';
const LIST = '/api/v1/servers/';
const ask = (text: string, user?: string) => askVia(h.slack, text, user);

/**
 * Resolves once every command acked so far has started its work: a later command's work starts
 * after theirs (each waits one turn of the bot's event loop, in order), and this one's reply comes after.
 */
const barrier = () => ask('help', 'U0BARRIER');

describe('an incident storm', () => {
  it('costs VPS.org one request: a storm of /vps show shares the request sent after it began', async () => {
    const hold = h.sim.hold({ method: 'GET', path: ONE });
    // Someone asked just before the storm: their request is under way, and predates every question.
    const first = await h.slack.command({ text: 'show 12345', user: 'U0FIRST' });
    await hold.waitForHeld(1);
    const storm = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        h.slack.command({ text: 'show 12345', user: `U0STORM${String(i).padStart(2, '0')}` }),
      ),
    );
    await barrier();
    hold.release();
    for (const sent of [first, ...storm]) {
      const reply = await replyTo(h.slack, sent.responseUrl);
      expect(textOf(reply)).toContain('web-server-01');
      expect(textOf(reply)).toContain('203.0.113.10');
    }
    // One request for the one who asked first, one for the whole storm.
    expect(h.sim.requests.filter((r) => r.path === ONE)).toHaveLength(2);
  });

  it('a lookup right after the bot’s own stop shows stopping, not active', async () => {
    // The stop takes its time, however long the lookups after it wait for their turn.
    h.sim.setSettleMs(60_000);
    const hold = h.sim.hold({ method: 'GET', path: LIST, times: 1 });
    // Alice's list goes to VPS.org before the stop, and its answer is slow to come back.
    const before = await h.slack.command({ text: 'list', user: 'U0ALICE' });
    await hold.waitForHeld(1);
    const prompt = await ask('stop 12345', 'U0BOB');
    await clickReply(h.slack, prompt, 'vps.confirm', 'U0BOB');
    expect(textOf(await replyTo(h.slack, prompt.sent.responseUrl, 1))).toContain(
      'Done: stop *web-server-01*',
    );
    // Carol asks after the stop: Alice's list, still in flight, must not answer her.
    const after = await h.slack.command({ text: 'list', user: 'U0CAROL' });
    await barrier();
    hold.release();
    expect(textOf(await replyTo(h.slack, before.responseUrl))).not.toContain('stopping');
    const carol = textOf(await replyTo(h.slack, after.responseUrl));
    expect(carol).toContain('web-server-01');
    expect(carol).toContain('stopping');
    const shown = await ask('show web-server-01', 'U0DAVE');
    expect(shown.text).toContain('stopping');
  });
});
