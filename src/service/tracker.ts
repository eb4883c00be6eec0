import { errorFields, type Logger } from '../log.js';
import type { TrackedChange } from '../records.js';
import { LeaseLostError } from '../store/errors.js';
import type { Fence, StateStore } from '../store/store.js';
import type { VpsClient } from '../vps/client.js';
import { isTransitional, type Server } from '../vps/schemas.js';

/** What the tracker tells the presenter. A failing handler is logged; the tracker goes on. */
export interface TrackerEvents {
  progress(change: TrackedChange, server: Server): Promise<void>;
  settled(change: TrackedChange, server: Server | undefined): Promise<void>;
  stuck(change: TrackedChange, server: Server | undefined): Promise<void>;
}

/** Whether this replica runs the tracker now, and the fence its writes carry (leadership.ts). */
export interface Leader {
  fence(): Fence | undefined;
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
  /**
   * Told of a settled server before it stops being followed (the fleet watch notes it as the bot's own
   * change), so that no look of the watch sees it neither followed nor known as the bot's own.
   */
  beforeDrop?: ((change: TrackedChange, server: Server | undefined) => Promise<void>) | undefined;
  /**
   * With several replicas: only the lease holder polls, reads every poll what the store says is
   * followed (any replica may have started following a change), and fences its writes. Without one,
   * this tracker is the only one and follows what it is given.
   */
  leader?: Leader | undefined;
}

export const STUCK_AFTER_MS = 15 * 60_000;

/** `followedAt` orders follow() calls, so a read of the store that began earlier does not drop them. */
type Entry = { change: TrackedChange; shownAt: number; followedAt: number };

/**
 * Follows every server in transition with one list request per poll, however many it follows,
 * and asks VPS.org only while it follows something.
 */
export class Tracker {
  readonly #options: Required<Omit<TrackerOptions, 'now' | 'leader' | 'beforeDrop'>> &
    Pick<TrackerOptions, 'beforeDrop'> & {
      now: () => number;
      leader: Leader | undefined;
    };
  #following = new Map<number, Entry>();
  #follows = 0;
  readonly #idleWaiters: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopped = false;

  constructor(options: TrackerOptions) {
    this.#options = {
      maxMs: STUCK_AFTER_MS,
      progressEveryMs: 15_000,
      now: Date.now,
      ...options,
      leader: options.leader,
    };
  }

  /** Picks up what the store says is being followed (after a restart, or on taking the lease). */
  async resume(): Promise<number> {
    await this.#sync();
    this.#schedule();
    return this.#following.size;
  }

  /** Starts following a change this replica made; the lease holder, whichever it is, takes it from the store. */
  async follow(change: TrackedChange): Promise<void> {
    await this.#options.store.saveTracked(change);
    this.#follows += 1;
    this.#following.set(change.serverId, {
      change,
      shownAt: this.#options.now(),
      followedAt: this.#follows,
    });
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

  /** Stops polling; a poll under way finishes. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#polling;
  }

  /** One look at the fleet: one list request, then every followed server is settled, moved on or kept. */
  async pollOnce(): Promise<void> {
    const { vps, logger, now, leader } = this.#options;
    const fence = leader?.fence();
    if (leader && !fence) return;
    if (leader && !(await this.#sync())) return;
    if (this.#following.size === 0) return this.#wakeIdle();
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
    await Promise.all([...this.#following.values()].map((entry) => this.#advance(entry, servers, at, fence)));
    // Idle once the outcomes of this poll have been told, not merely decided.
    if (this.#following.size === 0) this.#wakeIdle();
  }

  async #advance(
    entry: Entry,
    servers: Map<number, Server> | undefined,
    at: number,
    fence: Fence | undefined,
  ): Promise<void> {
    const { change } = entry;
    const { events, maxMs, progressEveryMs, store } = this.#options;
    const server = servers?.get(change.serverId);
    try {
      if (servers !== undefined && (server === undefined || !isTransitional(server.status))) {
        // Dropped before it is told: a second outcome message (from a replica taking over) is worse
        // than a missing one, and the fenced drop fails if another replica has taken over.
        await this.#options.beforeDrop?.(change, server);
        await this.#drop(change.serverId, fence);
        await events.settled(change, server);
      } else if (at - change.startedAt >= maxMs) {
        await this.#drop(change.serverId, fence);
        await events.stuck(change, server);
      } else if (server && (server.status !== change.status || at - entry.shownAt >= progressEveryMs)) {
        change.status = server.status;
        entry.shownAt = at;
        await store.saveTracked(change, fence);
        await events.progress(change, server);
      }
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.#options.logger.warn(
          { server_id: change.serverId },
          'lost the lease: another replica follows it',
        );
        return;
      }
      this.#options.logger.error(
        { ...errorFields(error), server_id: change.serverId },
        'tracker event failed',
      );
    }
  }

  async #drop(serverId: number, fence: Fence | undefined): Promise<void> {
    await this.#options.store.deleteTracked(serverId, fence);
    this.#following.delete(serverId);
  }

  /** Follows what the store says is followed; false when the store cannot say. */
  async #sync(): Promise<boolean> {
    const readAfter = this.#follows;
    let stored: TrackedChange[];
    try {
      stored = await this.#options.store.trackedChanges();
    } catch (error) {
      this.#options.logger.warn(errorFields(error), 'tracker could not read the servers it follows');
      return false;
    }
    const at = this.#options.now();
    const next = new Map<number, Entry>();
    for (const change of stored) {
      const known = this.#following.get(change.serverId);
      next.set(change.serverId, known ?? { change, shownAt: at, followedAt: 0 });
    }
    // Followed here while the store was being read; anything else the store no longer has is done
    // (another holder settled it), and must not be told again.
    for (const [serverId, entry] of this.#following) {
      if (entry.followedAt > readAfter && !next.has(serverId)) next.set(serverId, entry);
    }
    this.#following = next;
    if (next.size === 0) this.#wakeIdle();
    return true;
  }

  #wakeIdle(): void {
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /**
   * With a leader the tracker polls all the time (asking VPS.org only while something is followed),
   * since another replica may start following a change; alone, only while it follows something.
   */
  #schedule(): void {
    if (this.#stopped || this.#timer !== undefined || this.#polling !== undefined) return;
    if (!this.#options.leader && this.#following.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#polling = this.pollOnce()
        .catch((error: unknown) => this.#options.logger.error(errorFields(error), 'tracker poll failed'))
        .finally(() => {
          this.#polling = undefined;
          this.#schedule();
        });
    }, this.#options.pollMs);
  }
}
