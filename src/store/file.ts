import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { AuditEntry } from '../records.js';
import { AuditLog } from './audit-log.js';
import { JsonFile } from './json-file.js';
import { lockStateDir } from './lock.js';
import { emptyState, MemoryStore, type StoredState } from './memory.js';
import { auditEntrySchema, fleetStateSchema, storedStateSchema } from './schemas.js';
import { emptyFleetState } from './store.js';

/**
 * The embedded store: nothing to install or run. Under STATE_DIR:
 * - state.json: confirmations, servers being followed (with their card), subscriptions;
 * - fleet.json: the fleet watch's last snapshot, flapping windows and undelivered notifications;
 * - audit.jsonl: the audit trail, one entry a line, append-only;
 * - bot.lock: held by the bot using the directory, refreshed while it runs (see lock.ts).
 * JSON files are replaced atomically (write, flush, rename), so `kill -9` never leaves a torn file.
 */
export class FileStore extends MemoryStore {
  readonly #stateFile: JsonFile<StoredState>;
  readonly #fleetFile: JsonFile<typeof this.fleet>;
  readonly #audit: AuditLog;
  #unlock: (() => Promise<void>) | undefined;

  private constructor(dir: string, logger: Logger) {
    super();
    const log = logger.child({ component: 'store' });
    this.#stateFile = new JsonFile(join(dir, 'state.json'), storedStateSchema, log);
    this.#fleetFile = new JsonFile(join(dir, 'fleet.json'), fleetStateSchema, log);
    this.#audit = new AuditLog(join(dir, 'audit.jsonl'), log);
    this.#stateFile.track(() => this.state);
    this.#fleetFile.track(() => this.fleet);
  }

  static async open(
    dir: string,
    logger: Logger,
    now: number = Date.now(),
    options: { lockWaitMs?: number } = {},
  ): Promise<FileStore> {
    await mkdir(dir, { recursive: true });
    const store = new FileStore(dir, logger);
    store.#unlock = await lockStateDir(dir, logger, options.lockWaitMs);
    try {
      store.state = await store.#stateFile.load(emptyState, now);
      store.fleet = await store.#fleetFile.load(emptyFleetState, now);
      await store.#audit.open((entry) => store.remember(entry));
    } catch (error) {
      await store.#unlock();
      throw error;
    }
    return store;
  }

  protected override persist(part: 'state' | 'fleet'): Promise<void> {
    return part === 'state' ? this.#stateFile.save() : this.#fleetFile.save();
  }

  protected override persistAudit(entry: AuditEntry): Promise<void> {
    return this.#audit.append(auditEntrySchema.parse(entry));
  }

  override async close(): Promise<void> {
    await Promise.all([this.#stateFile.flush(), this.#fleetFile.flush()]);
    await this.#audit.close();
    await this.#unlock?.();
    this.#unlock = undefined;
  }
}
