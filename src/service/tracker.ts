import { errorFields, type Logger } from '../log.js';
import type { TrackedChange } from '../records.js';
import type { StateStore } from '../store/store.js';
import type { VpsClient } from '../vps/client.js';
import { isTransitional, type Server } from '../vps/schemas.js';

/** What the tracker tells the presenter. A failing handler is logged; the tracker goes on. */
export interface TrackerEvents {
  progress(change: TrackedChange, server: Server): Promise<void>;
  settled(change: TrackedChange, server: Server | undefined): Promise<void>;
  stuck(change: TrackedChange, server: Server | undefined): Promise<void>;
}

export interface TrackerOptions {
  vps: Pick<VpsClient, 'list'>;
  store: StateStore;
  logger: Logger;
  events: TrackerEvents;
  pollMs: number;
  /** A server still in transition after this long is reported stuck and dropped. */
  maxMs?: number;
  /** How often a long transition's card is refreshed even without a status change (elapsed time). */
  progressEveryMs?: number;
  now?: () => number;
}

export const STUCK_AFTER_MS = 15 * 60_000;

interface Followed {
  change: TrackedChange;
  shownAt: number;
  /** False while the store has not taken the latest state of it: saved again at the next poll. */
  saved: boolean;
}

/**
 * Follows every server in transition with one list request per poll, however many it follows,
 * and polls only while it follows something. What a poll finds is told per server, without holding
 * up the next poll: one server's card waiting out a slow or rate-limited Slack delays only that
 * server's own next update, never another server's.
 */
export class Tracker {
  readonly #options: Required<Omit<TrackerOptions, 'now'>> & { now: () => number };
  readonly #following = new Map<number, Followed>();
  readonly #idleWaiters: (() => void)[] = [];
  /** Settled servers the store still lists. */
  readonly #unforgotten = new Set<number>();
  /** Each server's event under way: at most one a server, so its updates stay in order. */
  readonly #telling = new Map<number, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopped = false;

  constructor(options: TrackerOptions) {
    this.#options = {
      maxMs: STUCK_AFTER_MS,
      progressEveryMs: 15_000,
      now: Date.now,
      ...options,
    };
  }

  /** Picks up what the store says was being followed when the bot last stopped. */
  async resume(): Promise<number> {
    for (const change of await this.#options.store.trackedChanges()) {
      this.#following.set(change.serverId, { change, shownAt: this.#options.now(), saved: true });
    }
    this.#schedule();
    return this.#following.size;
  }

  /** Follows at once; the store failing to take it only delays its durability to the next poll. */
  async follow(change: TrackedChange): Promise<void> {
    const entry: Followed = { change, shownAt: this.#options.now(), saved: false };
    this.#following.set(change.serverId, entry);
    this.#schedule();
    await this.#save(entry);
    // Said once it is durable (or the failure to store it is logged): a crash after this loses nothing.
    this.#options.logger.info(
      {
        server_id: change.serverId,
        status: change.status,
        following: this.#following.size,
        saved: entry.saved,
      },
      'following a server until it settles',
    );
  }

  following(serverId: number): TrackedChange | undefined {
    return this.#following.get(serverId)?.change;
  }

  get size(): number {
    return this.#following.size;
  }

  /** Resolves once nothing is followed any more. */
  whenIdle(): Promise<void> {
    if (this.#following.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops polling; a poll under way and the events it started finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#polling;
    await Promise.all(this.#telling.values());
  }

  /**
   * One look at the fleet: one list request, then every followed server is settled, moved on or
   * kept. Resolves once the events this look started are told.
   */
  async pollOnce(): Promise<void> {
    await Promise.all(await this.#look());
  }

  /** One look; returns the events it started without waiting for them. */
  async #look(): Promise<Promise<void>[]> {
    await Promise.all([...this.#unforgotten].map((serverId) => this.#forget(serverId)));
    if (this.#following.size === 0) return [];
    const { vps, logger, now } = this.#options;
    let servers: Map<number, Server> | undefined;
    try {
      servers = new Map((await vps.list()).map((server) => [server.id, server]));
    } catch (error) {
      logger.warn(
        { ...errorFields(error), following: this.#following.size },
        'tracker could not list servers',
      );
    }
    const at = now();
    await Promise.all(
      [...this.#following.values()].filter((entry) => !entry.saved).map((entry) => this.#save(entry)),
    );
    const started: Promise<void>[] = [];
    for (const entry of [...this.#following.values()]) {
      const serverId = entry.change.serverId;
      // Still telling the last news (its card waiting out a rate limit): the next look has fresher
      // news for it. Skipped, never queued, so nothing piles up behind a busy channel.
      if (this.#telling.has(serverId)) continue;
      const telling = this.#advance(entry, servers, at).finally(() => this.#telling.delete(serverId));
      this.#telling.set(serverId, telling);
      started.push(telling);
    }
    return started;
  }

  async #save(entry: Followed): Promise<void> {
    try {
      await this.#options.store.saveTracked(entry.change);
      entry.saved = true;
    } catch (error) {
      entry.saved = false;
      this.#options.logger.error(
        { ...errorFields(error), server_id: entry.change.serverId },
        'could not store a followed server; following it anyway, trying again at the next poll',
      );
    }
  }

  async #advance(entry: Followed, servers: Map<number, Server> | undefined, at: number): Promise<void> {
    const { change } = entry;
    const { events, maxMs, progressEveryMs } = this.#options;
    const server = servers?.get(change.serverId);
    try {
      if (servers !== undefined && (server === undefined || !isTransitional(server.status))) {
        // Dropped even when the presenter fails: a second outcome message is worse than a missing one.
        await events.settled(change, server).finally(() => this.#drop(change.serverId));
      } else if (at - change.startedAt >= maxMs) {
        await events.stuck(change, server).finally(() => this.#drop(change.serverId));
      } else if (server && (server.status !== change.status || at - entry.shownAt >= progressEveryMs)) {
        change.status = server.status;
        entry.shownAt = at;
        await this.#save(entry);
        await events.progress(change, server);
      }
    } catch (error) {
      this.#options.logger.error(
        { ...errorFields(error), server_id: change.serverId },
        'tracker event failed',
      );
    }
  }

  async #drop(serverId: number): Promise<void> {
    this.#following.delete(serverId);
    if (this.#following.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    await this.#forget(serverId);
  }

  /** Takes a settled server out of the store; until that works, a restart would follow it again. */
  async #forget(serverId: number): Promise<void> {
    try {
      await this.#options.store.deleteTracked(serverId);
      this.#unforgotten.delete(serverId);
    } catch (error) {
      this.#unforgotten.add(serverId);
      this.#options.logger.error(
        { ...errorFields(error), server_id: serverId },
        'could not remove a settled server from the store; trying again at the next poll',
      );
      this.#schedule();
    }
  }

  #schedule(): void {
    if (
      this.#stopped ||
      this.#timer !== undefined ||
      this.#polling !== undefined ||
      (this.#following.size === 0 && this.#unforgotten.size === 0)
    ) {
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#polling = this.#look()
        .then(
          () => undefined,
          (error: unknown) => this.#options.logger.error(errorFields(error), 'tracker poll failed'),
        )
        .finally(() => {
          this.#polling = undefined;
          this.#schedule();
        });
    }, this.#options.pollMs);
  }
}
