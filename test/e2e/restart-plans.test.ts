import { setTimeout as sleepUntil } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config.js';
import type { Simulator } from '../../src/simulator/index.js';
import type { Call, SlackStandin } from '../../src/slack-standin/index.js';
import { ask, clickReply, replyTo, textOf } from './harness.js';
import type { BotProcess } from './process.js';
import { type RestartRig, useRestarts } from './restarts.js';

let sim: Simulator;
let slack: SlackStandin;
let rig: RestartRig;
useRestarts(
  {
    name: 'restart-plans',
    sim: { settleMs: 200, provisionMs: 800 },
    env: { VPS_POLL_SECONDS: '0.1', VPS_OPERATORS: 'U0ALICE,U0BOB' },
  },
  (started) => {
    rig = started;
    ({ sim, slack } = started);
  },
);
const startBot = (extra: Environment = {}) => rig.startBot(extra);
const crash = (bot: BotProcess) => rig.crash(bot);

/** Real time must pass while the bot is down: one timer to the instant, not a poll. */
async function until(instant: number): Promise<void> {
  const wait = instant - Date.now();
  if (wait > 0) await sleepUntil(wait);
}

const powerPosts = () => sim.requests.filter((r) => r.method === 'POST').map((r) => r.path);

/** Schedules `/vps reboot web-server-01 in <seconds>s`, confirmed; resolves with when it is due. */
async function scheduleReboot(bot: BotProcess, seconds: number): Promise<number> {
  const prompt = await ask(slack, `reboot web-server-01 in ${seconds}s`);
  const asked = Date.now();
  await clickReply(slack, prompt, 'vps.confirm');
  expect(textOf(await replyTo(slack, prompt.sent.responseUrl, 1))).toContain(
    'Scheduled: reboot *web-server-01*',
  );
  await bot.waitForLine((line) => line.msg === 'change attempt' && line.outcome === 'scheduled');
  return asked + seconds * 1000;
}

// A restart after a kill -9 waits for the dead bot's state-directory lock to go stale (a few seconds).
describe('approvals and schedules survive a crash', { timeout: 45_000 }, () => {
  it('an approval asked before a restart is approved once after it', async () => {
    const first = await startBot({ VPS_APPROVAL_REQUIRED: 'reboot' });
    await clickReply(slack, await ask(slack, 'reboot web-server-01'), 'vps.confirm');
    const request = await slack.waitFor('chat.postMessage', (c) =>
      /asks for a second operator/.test(textOf(c)),
    );
    await first.waitForLine((line) => line.outcome === 'approval_requested');
    await crash(first);

    await startBot({ VPS_APPROVAL_REQUIRED: 'reboot' });
    const message = {
      channel: 'C0GENERAL',
      ts: (request.response as { ts: string }).ts,
      blocks: request.args.blocks as unknown[],
    };
    await slack.click({ message, actionId: 'vps.approve', user: 'U0BOB' });
    const card = await slack.waitFor(
      'chat.postMessage',
      (c) => /rebooted \*web-server-01\*/.test(textOf(c)),
      {
        timeoutMs: 10_000,
      },
    );
    expect(textOf(card)).toContain('<@U0ALICE> rebooted *web-server-01*, approved by <@U0BOB>');
    const again = await slack.click({ message, actionId: 'vps.approve', user: 'U0BOB' });
    const refused = await slack.waitFor(
      'response_url',
      (c) => c.args.url === again.responseUrl && /already approved/.test(textOf(c)),
    );
    expect(textOf(refused)).toContain('already approved by <@U0BOB>');
    expect(powerPosts()).toEqual(['/api/v1/servers/12345/reboot/']);
  });

  it('a schedule due while the bot was down runs once when it comes back within the grace', async () => {
    const first = await startBot();
    const due = await scheduleReboot(first, 3);
    await crash(first);
    await until(due + 500);
    expect(powerPosts()).toEqual([]);

    const second = await startBot();
    const card = await slack.waitFor(
      'chat.postMessage',
      (c) => /rebooted \*web-server-01\*/.test(textOf(c)),
      {
        timeoutMs: 10_000,
      },
    );
    expect(textOf(card)).toContain('<@U0ALICE> rebooted *web-server-01*, as scheduled for <!date^');
    // Once the card has settled, the scheduler has looked again more than once (every second).
    await slack.waitFor(
      'chat.update',
      (c) => c.args.ts === (card.response as { ts: string }).ts && /Settled/.test(textOf(c)),
      {
        timeoutMs: 10_000,
      },
    );
    await second.waitForLine((line) => line.msg === 'running a scheduled change');
    expect(second.lines.filter((line) => line.msg === 'running a scheduled change')).toHaveLength(1);
    expect(powerPosts()).toEqual(['/api/v1/servers/12345/reboot/']);
  });

  it('one due longer ago than the grace is reported missed, and never run', async () => {
    const grace = { VPS_SCHEDULE_GRACE_SECONDS: '1' };
    const first = await startBot(grace);
    const due = await scheduleReboot(first, 2);
    await crash(first);
    await until(due + 1500);

    await startBot(grace);
    const missed: Call = await slack.waitFor('chat.postMessage', (c) => /was missed/.test(textOf(c)), {
      timeoutMs: 10_000,
    });
    expect(missed.args.channel).toBe('C0GENERAL');
    expect(textOf(missed)).toContain('The reboot of *web-server-01* scheduled by <@U0ALICE>');
    expect(textOf(missed)).toContain('more than the 1s grace. Nothing was done');
    expect(powerPosts()).toEqual([]);
  });
});
