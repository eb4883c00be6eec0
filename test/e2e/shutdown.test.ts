import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { SlackStandin } from '../../src/slack-standin/index.js';
import { replyTo, textOf } from './harness.js';
import { botEnv, startBotProcess } from './process.js';

const sim = new Simulator({ settleMs: 100 });
const stateDir = mkdtempSync(join(tmpdir(), 'vps-bot-shutdown-'));
const slack = new SlackStandin();
beforeAll(() => Promise.all([sim.listen(), slack.listen()]));
afterAll(async () => {
  await Promise.all([sim.close(), slack.close()]);
  rmSync(stateDir, { recursive: true, force: true });
});

it('on SIGTERM stops taking requests, lets work under way finish, and exits 0', async () => {
  const bot = startBotProcess(botEnv(sim, slack, { STATE_DIR: stateDir }));
  try {
    const port = await bot.port();
    slack.botUrl = `http://127.0.0.1:${port}/slack/events`;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    sim.setLatency(700);
    const sent = await slack.command({ text: 'list' });
    expect(sent.status).toBe(200);
    bot.child.kill('SIGTERM');
    await bot.waitForLine((line) => line.msg === 'stopping: no new requests, finishing work under way');
    // The request that was under way still gets its answer...
    expect(textOf(await replyTo(slack, sent.responseUrl))).toContain('web-server-01');
    // ...and the process ends cleanly.
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    const logged = JSON.stringify(bot.lines);
    for (const secret of [slack.botToken, slack.signingSecret, sim.token])
      expect(logged).not.toContain(secret);
  } finally {
    bot.child.kill('SIGKILL');
  }
});

it('stops at start with one clear line when Slack refuses the token', async () => {
  const bot = startBotProcess(
    botEnv(sim, slack, { STATE_DIR: stateDir, SLACK_BOT_TOKEN: 'xoxb-not-the-right-one' }),
  );
  try {
    const failed = await bot.waitForLine((line) => line.msg === 'vps-bot could not start');
    expect(failed.reason).toBe('Slack refused the bot token (invalid_auth): check SLACK_BOT_TOKEN');
    expect(await bot.exited).toEqual({ code: 1, signal: null });
    expect(JSON.stringify(bot.lines)).not.toContain('xoxb-not-the-right-one');
  } finally {
    bot.child.kill('SIGKILL');
  }
});

it('stops at start with one clear line when Slack cannot be reached', async () => {
  const bot = startBotProcess(
    botEnv(sim, slack, { STATE_DIR: stateDir, SLACK_API_URL: 'http://127.0.0.1:9/api/' }),
  );
  try {
    const failed = await bot.waitForLine((line) => line.msg === 'vps-bot could not start', 30_000);
    expect(failed.reason).toBe(
      "could not reach Slack's Web API at http://127.0.0.1:9/api/: check SLACK_API_URL and the network",
    );
    expect((await bot.exited).code).toBe(1);
  } finally {
    bot.child.kill('SIGKILL');
  }
});
