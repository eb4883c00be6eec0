import type { AddressInfo } from 'node:net';
import {
  type AllMiddlewareArgs,
  App,
  type BlockAction,
  LogLevel,
  type SlackActionMiddlewareArgs,
  type SlackCommandMiddlewareArgs,
  type SlackViewMiddlewareArgs,
} from '@slack/bolt';
import type { SlackStandin } from '../../src/slack-standin/index.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** What one listener run did after its ack: its result, or the error it threw. */
export interface Run {
  listener: 'command' | 'action' | 'view';
  result?: unknown;
  error?: unknown;
}

/** The listeners' outcomes in order; tests await the next one instead of sleeping. */
export class Runs {
  private readonly done: Run[] = [];
  private taken = 0;
  private wake: (() => void) | undefined;

  get count(): number {
    return this.done.length;
  }

  add(run: Run): void {
    this.done.push(run);
    this.wake?.();
  }

  async next(timeoutMs = 5000): Promise<Run> {
    const deadline = Date.now() + timeoutMs;
    while (this.done[this.taken] === undefined) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no listener finished within ${timeoutMs} ms (runs so far: ${this.done.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const run = this.done[this.taken];
    this.taken += 1;
    if (run === undefined) throw new Error('unreachable');
    return run;
  }
}

/** The behaviour of each listener after its ack; tests swap these per case. */
export interface Hooks {
  command: (args: CommandArgs) => Promise<unknown>;
  action: (args: ActionArgs) => Promise<unknown>;
  view: (args: ViewArgs) => Promise<unknown>;
}

export interface BoltUnderTest {
  app: App;
  url: string;
  runs: Runs;
  hooks: Hooks;
  stop(): Promise<void>;
}

async function settle(runs: Runs, listener: Run['listener'], work: () => Promise<unknown>): Promise<void> {
  try {
    runs.add({ listener, result: await work() });
  } catch (error) {
    runs.add({ listener, error });
  }
}

/** A real Bolt app in HTTP mode, its WebClient pointed at the stand-in, listening on a free 127.0.0.1 port. */
export async function startBoltApp(standin: SlackStandin): Promise<BoltUnderTest> {
  const runs = new Runs();
  const hooks: Hooks = {
    command: async () => undefined,
    action: async () => undefined,
    view: async ({ ack }) => ack(),
  };
  const app = new App({
    token: standin.botToken,
    signingSecret: standin.signingSecret,
    clientOptions: { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } },
    deferInitialization: true,
    logLevel: LogLevel.ERROR,
  });
  app.command('/vps', async (args) => {
    await args.ack();
    await settle(runs, 'command', () => hooks.command(args));
  });
  app.action<BlockAction>(/.*/, async (args) => {
    await args.ack();
    await settle(runs, 'action', () => hooks.action(args));
  });
  // The view hook acks itself: its response_action is the answer under test.
  app.view(/.*/, (args) => settle(runs, 'view', () => hooks.view(args)));
  await app.init();
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}/slack/events`,
    runs,
    hooks,
    stop: async () => {
      server.closeAllConnections();
      await app.stop();
    },
  };
}
