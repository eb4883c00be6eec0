import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { limitViolations } from '../../src/slack/blocks/check.js';
import { SlackStandin } from '../../src/slack-standin/index.js';
import { replyTo, textOf } from './harness.js';
import { botEnv, startBotProcess } from './process.js';

const sim = new Simulator({ settleMs: 100 });
const slack = new SlackStandin();
const stateDir = mkdtempSync(join(tmpdir(), 'vps-bot-hostile-process-'));
beforeAll(() => Promise.all([sim.listen(), slack.listen()]));
afterAll(async () => {
  await Promise.all([sim.close(), slack.close()]);
  rmSync(stateDir, { recursive: true, force: true });
});

it('the bot as `npm start` runs it survives a 100,000-character command and answers the next one', async () => {
  const bot = startBotProcess(botEnv(sim, slack, { STATE_DIR: stateDir, VPS_OPERATORS: 'U0ALICE' }));
  try {
    const port = await bot.port();
    slack.botUrl = `http://127.0.0.1:${port}/slack/events`;
    // From a non-operator, as anyone in the workspace could. It used to exhaust the 128 MB heap
    // ("Reached heap limit", exit 134).
    const hostile = await slack.command({ text: `${'a'.repeat(100_000)} web-server-01`, user: 'U0BOB' });
    expect(hostile.status).toBe(200);
    const answer = await replyTo(slack, hostile.responseUrl);
    expect(textOf(answer)).toContain('That command is too long (100,014 characters; the most is 1,000).');
    expect(limitViolations(answer.args)).toEqual([]);
    const next = await slack.command({ text: 'show web-server-01', user: 'U0ALICE' });
    expect(next.status).toBe(200);
    expect(next.ms).toBeLessThan(3000);
    expect(textOf(await replyTo(slack, next.responseUrl))).toContain('web01.example.com');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(bot.child.exitCode).toBeNull();
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
  } finally {
    bot.child.kill('SIGKILL');
  }
});
