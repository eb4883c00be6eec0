import { join } from 'node:path';
import type { Logger } from '../log.js';
import {
  type SlackStandin,
  type WorkspaceSnapshot,
  workspaceSnapshotSchema,
} from '../slack-standin/index.js';
import { JsonFile } from '../store/json-file.js';
import { type VpsPanel, type VpsSnapshot, vpsSnapshotSchema } from './vps-panel.js';

/**
 * The playground's own files, beside the bot's under STATE_DIR/playground: the Slack workspace (every
 * message, thread, ephemeral message and open modal) and the simulator's fleet. Written atomically and
 * coalesced, as the bot's own state is, so a restart shows the same conversation and the same servers.
 */
export class PlaygroundFiles {
  readonly #slack: JsonFile<WorkspaceSnapshot>;
  readonly #vps: JsonFile<VpsSnapshot>;
  readonly #logger: Logger;

  constructor(dir: string, logger: Logger) {
    this.#logger = logger;
    this.#slack = new JsonFile(join(dir, 'slack-workspace.json'), workspaceSnapshotSchema, logger);
    this.#vps = new JsonFile(join(dir, 'vps-simulator.json'), vpsSnapshotSchema, logger);
  }

  /** Puts back what the files hold (a missing file: a fresh start), then keeps them up to date. */
  async load(slack: SlackStandin, panel: VpsPanel | undefined, now: number): Promise<void> {
    const workspace = await this.#slack.load(() => slack.snapshot(), now);
    slack.restore(workspace);
    this.#slack.track(() => slack.snapshot());
    if (panel !== undefined) {
      const fleet = await this.#vps.load(() => panel.snapshot(), now);
      panel.restore(fleet);
      this.#vps.track(() => panel.snapshot());
    }
  }

  saveSlack(): void {
    this.#slack.save().catch((error: unknown) => this.#failed('slack-workspace.json', error));
  }

  saveVps(): void {
    this.#vps.save().catch((error: unknown) => this.#failed('vps-simulator.json', error));
  }

  async flush(): Promise<void> {
    await Promise.all([this.#slack.flush(), this.#vps.flush()]);
  }

  #failed(file: string, error: unknown): void {
    this.#logger.error({ file, err: String(error) }, 'could not save the playground');
  }
}
