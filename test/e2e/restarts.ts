import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Environment } from '../../src/config.js';
import { Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { SlackStandin } from '../../src/slack-standin/index.js';
import { type BotProcess, botEnv, startBotProcess } from './process.js';

/** What each test of a restart file gets: a fresh simulator, stand-in and state directory. */
export interface RestartRig {
  sim: Simulator;
  slack: SlackStandin;
  /** The real bot process on this test's state directory, simulator and stand-in. */
  startBot(extra?: Environment): Promise<BotProcess>;
  /** SIGKILL: nothing under way is finished or saved. */
  crash(bot: BotProcess): Promise<void>;
}

/** Sets up a RestartRig before each test and kills and removes everything after it. */
export function useRestarts(
  options: { name: string; sim: SimulatorOptions; env: Environment },
  started: (rig: RestartRig) => void,
): void {
  let running: BotProcess[] = [];
  let sim: Simulator;
  let slack: SlackStandin;
  let stateDir: string;

  beforeEach(async () => {
    sim = new Simulator(options.sim);
    slack = new SlackStandin();
    await Promise.all([sim.listen(), slack.listen()]);
    stateDir = mkdtempSync(join(tmpdir(), `vps-bot-${options.name}-`));
    started({
      sim,
      slack,
      async startBot(extra = {}) {
        const bot = startBotProcess(
          botEnv(sim, slack, { ...options.env, STATE_DIR: stateDir, LOG_LEVEL: 'info', ...extra }),
        );
        running.push(bot);
        slack.botUrl = `http://127.0.0.1:${await bot.port()}/slack/events`;
        return bot;
      },
      async crash(bot) {
        bot.child.kill('SIGKILL');
        expect((await bot.exited).signal).toBe('SIGKILL');
      },
    });
  });

  afterEach(async () => {
    for (const bot of running) bot.child.kill('SIGKILL');
    await Promise.all(running.map((bot) => bot.exited));
    running = [];
    await Promise.all([sim.close(), slack.close()]);
    rmSync(stateDir, { recursive: true, force: true });
  });
}
