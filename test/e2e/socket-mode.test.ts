import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { type Call, SlackStandin } from '../../src/slack-standin/index.js';
import { commandPayload } from '../../src/slack-standin/socket/envelopes.js';
import { envelope, type SocketCommandResult, SocketModeSide } from '../../src/slack-standin/socket/index.js';
import { replyTo, textOf } from './harness.js';
import { type BotProcess, botEnv, startBotProcess } from './process.js';

// The bot reconnects 5 s after a connection ends (the Socket Mode client's own delay): room for that.
const RECONNECT_MS = 20_000;

const sim = new Simulator({ settleMs: 150, provisionMs: 300 });
const slack = new SlackStandin();
const stateDir = mkdtempSync(join(tmpdir(), 'vps-bot-socket-'));
let side: SocketModeSide;
let bot: BotProcess;
/** The Web API calls the bot made as it started. */
let startCalls: Call[] = [];

const posts = () => sim.requests.filter((r) => r.method !== 'GET');
const repeats = () => bot.lines.filter((line) => line.msg === 'repeated delivery ignored');

/** The bot as `npm start` runs it with SLACK_APP_TOKEN set and no signing secret: Socket Mode. */
function socketModeEnv() {
  const { SLACK_SIGNING_SECRET: _unused, ...env } = botEnv(sim, slack, {
    SLACK_APP_TOKEN: slack.appToken,
    STATE_DIR: stateDir,
    VPS_API_TIMEOUT_SECONDS: '2',
    VPS_POLL_SECONDS: '0.05',
  });
  return env;
}

/** Types `/vps <text>` as an envelope; the ack comes over the socket, the answer to the response URL. */
async function ask(text: string) {
  const sent = await side.command({ text });
  expect(sent.ack.envelope_id).toBe(sent.envelope.envelope_id);
  const reply = await replyTo(slack, sent.responseUrl);
  return { sent, reply, blocks: (reply.args.blocks ?? []) as unknown[] };
}

function confirm(prompt: { sent: SocketCommandResult; blocks: unknown[] }) {
  return side.click({
    message: {
      channel: 'C0GENERAL',
      blocks: prompt.blocks,
      responseUrl: prompt.sent.responseUrl,
      ephemeral: true,
    },
    actionId: 'vps.confirm',
  });
}

beforeAll(async () => {
  await Promise.all([sim.listen(), slack.listen()]);
  side = await SocketModeSide.start(slack);
  bot = startBotProcess(socketModeEnv());
  // Bolt says it is running only once the socket got its hello.
  const running = await bot.waitForLine((line) => line.msg === 'vps-bot is running');
  expect(running.mode).toBe('socket');
  startCalls = [...slack.calls];
});

afterAll(async () => {
  bot?.child.kill('SIGKILL');
  await side?.close();
  await Promise.all([sim.close(), slack.close()]);
  rmSync(stateDir, { recursive: true, force: true });
});

beforeEach(() => {
  sim.reset();
  slack.reset();
});

describe('Socket Mode, the bot as npm start runs it', () => {
  it('connected with the app-level token over the socket the stand-in handed out', () => {
    const opened = startCalls.filter((call) => call.method === 'apps.connections.open');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.token).toBe(slack.appToken);
    expect(startCalls.find((call) => call.method === 'auth.test')?.token).toBe(slack.botToken);
    expect(side.connections).toBe(1);
    expect(side.server.open).toBe(1);
  });

  it('/vps list as an envelope: acked over the socket, answered through the response URL', async () => {
    const { reply } = await ask('list');
    expect(textOf(reply)).toContain('web-server-01');
    expect(reply.args.response_type).toBe('ephemeral');
  });

  it("acks what is not the bot's, or not in its shape, and goes no further (no gate in this mode)", async () => {
    const logged = (msg: string) => bot.lines.filter((line) => line.msg === msg).length;
    const ignored = logged('ignored a request the bot does not handle');
    const other = await side.command({ text: 'tomorrow', command: '/weather' });
    expect(other.ack.envelope_id).toBe(other.envelope.envelope_id);
    await bot.waitForLine(() => logged('ignored a request the bot does not handle') > ignored);
    const rejected = logged('rejected a malformed request');
    const { response_url: _dropped, ...payload } = commandPayload(
      slack.prepareCommand({ text: 'list' }).body,
    );
    const ack = await side.deliver(envelope('slash_commands', payload));
    expect(ack.envelope_id).toBeTruthy();
    await bot.waitForLine(() => logged('rejected a malformed request') > rejected);
    const problems = bot.lines
      .filter((line) => line.msg === 'rejected a malformed request')
      .map((l) => l.problem);
    expect(String(problems.at(-1))).toMatch(/^response_url: /);
    expect(sim.requests).toEqual([]);
    expect(slack.callsTo('response_url')).toEqual([]);
  });

  it('acks a shortcut it has no listener for, and a click without its trigger_id, and does nothing', async () => {
    const logged = (msg: string) => bot.lines.filter((line) => line.msg === msg);
    const ignored = logged('ignored a request the bot does not handle').length;
    const rejected = logged('rejected a malformed request').length;
    const user = { id: 'U0ALICE' };
    const team = { id: 'T0001' };
    const shortcut = { type: 'shortcut', callback_id: 'do_it', trigger_id: slack.newTriggerId(), user, team };
    expect((await side.deliver(envelope('interactive', shortcut))).envelope_id).toBeTruthy();
    await bot.waitForLine(() => logged('ignored a request the bot does not handle').length > ignored);
    const click = {
      type: 'block_actions',
      user,
      team,
      channel: { id: 'C0GENERAL' },
      actions: [{ type: 'button', action_id: 'vps.refresh', value: '12345' }],
    };
    expect((await side.deliver(envelope('interactive', click))).envelope_id).toBeTruthy();
    await bot.waitForLine(() => logged('rejected a malformed request').length > rejected);
    expect(logged('rejected a malformed request').at(-1)).toMatchObject({
      request: 'block_actions',
      action_id: 'vps.refresh',
      problem: expect.stringContaining('trigger_id'),
    });
    expect(sim.requests).toEqual([]);
  });

  it('Stop, then Confirm: exactly one POST to VPS.org, the prompt answered in place', async () => {
    const prompt = await ask('stop web-server-01');
    expect(textOf(prompt.reply)).toContain('Stop *web-server-01*?');
    expect(posts()).toEqual([]);
    const clicked = await confirm(prompt);
    expect(clicked.envelope.payload.type).toBe('block_actions');
    await slack.waitFor('chat.update', (call) => /Settled: :red_circle: stopped/.test(textOf(call)));
    expect(posts().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/servers/12345/stop/']);
    const answered = await replyTo(slack, prompt.sent.responseUrl, 1);
    expect(textOf(answered)).toContain('Done: stop *web-server-01*');
  });

  it('a retried envelope (retry_attempt 1, same payload and trigger_id) does nothing twice', async () => {
    const before = repeats().length;
    const prompt = await ask('reboot db-server-01');
    const again = await side.redeliver(prompt.sent);
    expect(again.envelope.retry_attempt).toBe(1);
    expect(again.envelope.payload).toEqual(prompt.sent.envelope.payload);
    await bot.waitForLine(() => repeats().length >= before + 1);
    const clicked = await confirm(prompt);
    await slack.waitFor('chat.update', (call) => /Settled: :large_green_circle: active/.test(textOf(call)));
    await side.redeliver(clicked);
    await bot.waitForLine(() => repeats().length >= before + 2);
    expect(
      repeats()
        .slice(before)
        .map((line) => line.retry),
    ).toEqual([1, 1]);
    expect(posts().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/servers/12346/reboot/']);
    // One prompt, one answer to it: the retried command asked nothing again.
    expect(slack.callsTo('response_url').filter((c) => c.args.url === prompt.sent.responseUrl)).toHaveLength(
      2,
    );
  });

  it(
    'after {"type":"disconnect","reason":"refresh_requested"} it reconnects by itself and answers the next command',
    async () => {
      const before = side.connections;
      side.disconnect('refresh_requested');
      await side.waitForConnections(before + 1, RECONNECT_MS);
      expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
      expect(side.server.open).toBe(1);
      expect(textOf((await ask('list')).reply)).toContain('web-server-01');
    },
    RECONNECT_MS + 10_000,
  );

  it(
    'after the socket drops without a word it reconnects by itself and answers the next command',
    async () => {
      const before = side.connections;
      side.drop();
      await side.waitForConnections(before + 1, RECONNECT_MS);
      expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
      expect(textOf((await ask('list')).reply)).toContain('web-server-01');
    },
    RECONNECT_MS + 10_000,
  );

  it('on SIGTERM closes its socket and exits 0; no token reaches the log', async () => {
    const closedBefore = side.server.closed;
    bot.child.kill('SIGTERM');
    await side.server.waitForClosed(closedBefore + 1);
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    const logged = JSON.stringify(bot.lines);
    for (const secret of [slack.botToken, slack.appToken, sim.token]) expect(logged).not.toContain(secret);
  });
});
