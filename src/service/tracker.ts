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

/**
 * Follows every server in transition with one list request per poll, however many it follows,
 * and polls only while it follows something. What a poll finds is told per server, without holding
 * up the next poll: one server's card waiting out a slow or rate-limited Slack delays only that
 * server's own next update, never another server's.
 */
export class Tracker {
  readonly #options: Required<Omit<TrackerOptions, 'now'>> & { now: () => number };
  readonly #following = new Map<number, { change: TrackedChange; shownAt: number }>();
  readonly #idleWaiters: (() => void)[] = [];
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
      this.#following.set(change.serverId, { change, shownAt: this.#options.now() });
    }
    this.#schedule();
    return this.#following.size;
  }

  async follow(change: TrackedChange): Promise<void> {
    await this.#options.store.saveTracked(change);
    this.#following.set(change.serverId, { change, shownAt: this.#options.now() });
    this.#options.logger.info(
      { server_id: change.serverId, status: change.status, following: this.#following.size },
      'following a server until it settles',
    );
    this.#schedule();
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

  async #advance(
    entry: { change: TrackedChange; shownAt: number },
    servers: Map<number, Server> | undefined,
    at: number,
  ): Promise<void> {
    const { change } = entry;
    const { events, maxMs, progressEveryMs, store } = this.#options;
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
        await store.saveTracked(change);
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
    await this.#options.store.deleteTracked(serverId);
    if (this.#following.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #schedule(): void {
    if (
      this.#stopped ||
      this.#timer !== undefined ||
      this.#polling !== undefined ||
      this.#following.size === 0
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
