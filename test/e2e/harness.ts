import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { type Bot, createBot } from '../../src/app.js';
import { type Environment, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import type { Call, CommandResult, SlackStandin as Standin } from '../../src/slack-standin/index.js';
import { SlackStandin } from '../../src/slack-standin/index.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { StateStore } from '../../src/store/store.js';
import { botEnv } from './process.js';

export interface HarnessOptions {
  env?: Environment;
  simulator?: SimulatorOptions;
  store?: StateStore;
  /** The Home tabs' refresh window (default 100 ms here, 3 s in production). */
  homeWindowMs?: number;
}

/** The real bot, in HTTP mode on 127.0.0.1, between the VPS.org simulator and the Slack stand-in. */
export interface Harness {
  sim: Simulator;
  slack: Standin;
  bot: Bot;
  store: StateStore;
  /** Every log line the bot wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The raw log text, to check that no secret ever appears. */
  logText: () => string;
  /** Moves the bot's clock forward (confirmation expiry, stuck transitions). */
  advance(ms: number): void;
  /** Waits until the work started by the requests sent so far has finished. */
  idle(): Promise<void>;
  /** Waits until that work is done and every followed server has settled: a clean slate for the next test. */
  quiet(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = new Simulator({ settleMs: 150, provisionMs: 300, ...options.simulator });
  const slack = new SlackStandin();
  await Promise.all([sim.listen(), slack.listen()]);
  const config = loadConfig(
    botEnv(sim, slack, {
      VPS_API_TIMEOUT_SECONDS: '2',
      VPS_POLL_SECONDS: '0.05',
      LOG_LEVEL: 'debug',
      ...options.env,
    }),
  );
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    secrets: [slack.botToken, slack.signingSecret, sim.token],
    write: (line) => lines.push(line),
  });
  let offset = 0;
  const store = options.store ?? new MemoryStore();
  const bot = createBot({
    config,
    logger,
    store,
    now: () => Date.now() + offset,
    vpsRetry: { delayMs: () => 10 },
    replyRetry: { delayMs: () => 10 },
    slackRetries: 0,
    progressEveryMs: 0,
    drainMs: 5000,
    // The scheduler looks often, so a test that advances the clock sees a schedule fire at once.
    scheduleTickMs: 20,
    homeWindowMs: options.homeWindowMs ?? 100,
  });
  const { port } = await bot.start();
  slack.botUrl = `http://127.0.0.1:${port}/slack/events`;
  return {
    sim,
    slack,
    bot,
    store,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => lines.join(''),
    advance(ms) {
      offset += ms;
    },
    async idle() {
      await bot.inflight.drain(10_000);
    },
    async quiet() {
      await bot.inflight.drain(10_000);
      await bot.tracker.whenIdle();
      await bot.inflight.drain(10_000);
    },
    async stop() {
      await bot.stop();
      await Promise.all([sim.close(), slack.close()]);
    },
  };
}

/** Texts of a recorded call: its text and every mrkdwn or plain text inside its blocks. */
export function textOf(call: Call | { args: Record<string, unknown> } | undefined): string {
  if (!call) return '';
  const parts: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      for (const [key, inner] of Object.entries(object)) {
        if (key === 'text' && typeof inner === 'string') parts.push(inner);
        else walk(inner);
      }
    }
  };
  walk(call.args);
  return parts.join('\n');
}

/** The replies sent to one response_url (Bolt's respond()), in order. */
export function repliesTo(slack: Standin, responseUrl: string): Call[] {
  return slack.callsTo('response_url').filter((call) => call.args.url === responseUrl);
}

export async function replyTo(slack: Standin, responseUrl: string, index = 0): Promise<Call> {
  await slack.waitForCount('response_url', index + 1, (call) => call.args.url === responseUrl);
  const reply = repliesTo(slack, responseUrl)[index];
  if (!reply) throw new Error(`no reply #${index} to ${responseUrl}`);
  return reply;
}

/**
 * One harness for a test file: started before its tests, stopped after them, and back to a clean
 * slate (no work under way, simulator and stand-in reset) before each test.
 */
export function useHarness(started: (h: Harness) => void, options: HarnessOptions = {}): void {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(options);
    started(h);
  });
  afterAll(() => h?.stop());
  beforeEach(async () => {
    if (!h) return;
    await h.quiet();
    h.sim.reset();
    h.slack.reset();
  });
}

export interface Asked {
  sent: CommandResult;
  reply: Call;
  text: string;
  blocks: unknown[];
}

/** Types `/vps <text>` and waits for the bot's first reply to it. */
export async function ask(
  slack: Standin,
  text: string,
  user = 'U0ALICE',
  channel = 'C0GENERAL',
): Promise<Asked> {
  const sent = await slack.command({ text, user, channel });
  expect(sent.status).toBe(200);
  const reply = await replyTo(slack, sent.responseUrl);
  return { sent, reply, text: textOf(reply), blocks: (reply.args.blocks ?? []) as unknown[] };
}

/** Clicks a button in the ephemeral reply a command got (a prompt, a card, a list page). */
export function clickReply(
  slack: Standin,
  asked: Pick<Asked, 'sent' | 'blocks'>,
  actionId: string,
  user = 'U0ALICE',
) {
  return slack.click({
    message: {
      channel: 'C0GENERAL',
      blocks: asked.blocks,
      responseUrl: asked.sent.responseUrl,
      ephemeral: true,
    },
    actionId,
    user,
  });
}

/** Clicks a button on a message the bot posted to the channel, as it was posted, and waits for the bot. */
export async function clickPosted(h: Harness, posted: Call, actionId: string, user: string) {
  const ts = (posted.response as { ts: string }).ts;
  const blocks = posted.args.blocks as unknown[];
  const clicked = await h.slack.click({ message: { channel: 'C0GENERAL', ts, blocks }, actionId, user });
  await h.idle();
  return clicked;
}
