import { errorFields, type Logger } from '../log.js';
import type { TrackedChange } from '../records.js';
import { LeaseLostError, StoreUnavailableError } from '../store/errors.js';
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

interface Followed {
  change: TrackedChange;
  shownAt: number;
  /** False while the store has not taken the latest state of it: saved again at the next poll. */
  saved: boolean;
  /** Whether the store ever had it: one it never had is kept across reads of the store. */
  stored: boolean;
  /** Orders follow() calls, so a read of the store that began earlier does not drop them; 0 when read. */
  followedAt: number;
}

/**
 * Follows every server in transition with one list request per poll, however many it follows,
 * and asks VPS.org only while it follows something. What a poll finds is told per server, without
 * holding up the next poll: one server's card waiting out a slow or rate-limited Slack delays only
 * that server's own next update, never another server's.
 */
export class Tracker {
  readonly #options: Required<Omit<TrackerOptions, 'now' | 'leader' | 'beforeDrop'>> &
    Pick<TrackerOptions, 'beforeDrop'> & {
      now: () => number;
      leader: Leader | undefined;
    };
  #following = new Map<number, Followed>();
  #follows = 0;
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
      leader: options.leader,
    };
  }

  /** Picks up what the store says is being followed (after a restart, or on taking the lease). */
  async resume(): Promise<number> {
    await this.#sync();
    this.#schedule();
    return this.#following.size;
  }

  /**
   * Follows at once; the store failing to take it only delays its durability to the next poll. With
   * a leader, whichever replica holds the lease takes it from the store.
   */
  async follow(change: TrackedChange): Promise<void> {
    this.#follows += 1;
    const entry: Followed = {
      change,
      shownAt: this.#options.now(),
      saved: false,
      stored: false,
      followedAt: this.#follows,
    };
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

  /** Resolves once nothing is followed any more, and every outcome is told. */
  whenIdle(): Promise<void> {
    if (this.#idle) return Promise.resolve();
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
    const { vps, logger, now, leader } = this.#options;
    const fence = leader?.fence();
    if (leader && !fence) {
      await this.#standBy();
      return [];
    }
    await Promise.all([...this.#unforgotten].map((serverId) => this.#forget(serverId, fence)));
    if (leader && !(await this.#sync())) return [];
    if (this.#following.size === 0) {
      this.#wakeIdle();
      return [];
    }
    let servers: Map<number, Server> | undefined;
    // A server followed after the list was asked changed after it, and the list (sent before that
    // change was answered, perhaps) may show it as before: it waits for the next look.
    const askedAfter = this.#follows;
    try {
      servers = new Map((await vps.list()).map((server) => [server.id, server]));
    } catch (error) {
      logger.warn(
        { ...errorFields(error), following: this.#following.size },
        'tracker could not list servers',
      );
    }
    const at = now();
    const unsaved = [...this.#following.values()].filter((entry) => !entry.saved);
    if (!(await this.#saveAll(unsaved, fence))) return [];
    const started: Promise<void>[] = [];
    for (const entry of [...this.#following.values()]) {
      const serverId = entry.change.serverId;
      // Still telling the last news (its card waiting out a rate limit): the next look has fresher
      // news for it. Skipped, never queued, so nothing piles up behind a busy channel.
      if (this.#telling.has(serverId) || entry.followedAt > askedAfter) continue;
      const telling = this.#advance(entry, servers, at, fence).finally(() => {
        this.#telling.delete(serverId);
        this.#wakeIdle();
      });
      this.#telling.set(serverId, telling);
      started.push(telling);
    }
    return started;
  }

  /**
   * Not the lease holder: what this replica started following and the store never took is saved
   * for the holder to find; what the store has is the holder's to follow, and is forgotten here.
   */
  async #standBy(): Promise<void> {
    for (const entry of [...this.#following.values()]) {
      if (!entry.stored) await this.#save(entry);
      const serverId = entry.change.serverId;
      if (entry.stored && !this.#telling.has(serverId)) this.#following.delete(serverId);
    }
    this.#wakeIdle();
  }

  /** Saves each; false when the lease was lost meanwhile (the new holder follows them). */
  async #saveAll(entries: Followed[], fence: Fence | undefined): Promise<boolean> {
    try {
      await Promise.all(entries.map((entry) => this.#save(entry, fence)));
      return true;
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      this.#options.logger.warn('tracker: another replica holds the lease now');
      return false;
    }
  }

  /** Logs a failure and leaves it for the next poll; only a lost lease is thrown. */
  async #save(entry: Followed, fence?: Fence): Promise<void> {
    try {
      await this.#options.store.saveTracked(entry.change, fence);
      entry.saved = true;
      entry.stored = true;
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      entry.saved = false;
      this.#options.logger.error(
        { ...errorFields(error), server_id: entry.change.serverId },
        'could not store a followed server; following it anyway, trying again at the next poll',
      );
    }
  }

  async #advance(
    entry: Followed,
    servers: Map<number, Server> | undefined,
    at: number,
    fence: Fence | undefined,
  ): Promise<void> {
    const { change } = entry;
    const { events, maxMs, progressEveryMs } = this.#options;
    const server = servers?.get(change.serverId);
    try {
      if (servers !== undefined && (server === undefined || !isTransitional(server.status))) {
        await this.#options.beforeDrop?.(change, server);
        if (await this.#drop(change.serverId, fence)) await events.settled(change, server);
      } else if (at - change.startedAt >= maxMs) {
        if (await this.#drop(change.serverId, fence)) await events.stuck(change, server);
      } else if (server && (server.status !== change.status || at - entry.shownAt >= progressEveryMs)) {
        change.status = server.status;
        entry.shownAt = at;
        await this.#save(entry, fence);
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

  /**
   * Stops following a settled (or stuck) server; true when its outcome is this tracker's to tell.
   * With a lease, it leaves the store under the fence before the outcome is told: a second outcome
   * message (from a replica taking over) is worse than a missing one, and the fenced drop fails once
   * another replica has the lease. A shared store out of reach holds the outcome back to the next
   * poll, since the lease may change hands meanwhile. Any other failure to write (a full disk) is the
   * one tracker's alone: the outcome is told, and the store is asked again at each poll.
   */
  async #drop(serverId: number, fence: Fence | undefined): Promise<boolean> {
    try {
      await this.#options.store.deleteTracked(serverId, fence);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.#following.delete(serverId);
        throw error;
      }
      if (fence && error instanceof StoreUnavailableError) {
        this.#options.logger.warn(
          { ...errorFields(error), server_id: serverId },
          'a settled server could not leave the state store; its outcome waits for the next poll',
        );
        return false;
      }
      this.#unforget(serverId, error);
    }
    this.#following.delete(serverId);
    return true;
  }

  /** Takes a settled server out of the store; until that works, a restart would follow it again. */
  async #forget(serverId: number, fence: Fence | undefined): Promise<void> {
    try {
      await this.#options.store.deleteTracked(serverId, fence);
      this.#unforgotten.delete(serverId);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.#unforgotten.delete(serverId);
        return;
      }
      this.#unforget(serverId, error);
    }
  }

  #unforget(serverId: number, error: unknown): void {
    this.#unforgotten.add(serverId);
    this.#options.logger.error(
      { ...errorFields(error), server_id: serverId },
      'could not remove a settled server from the store; trying again at the next poll',
    );
    this.#schedule();
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
    const next = new Map<number, Followed>();
    for (const change of stored) {
      // Settled and told already; only the store has yet to forget it.
      if (this.#unforgotten.has(change.serverId)) continue;
      const known = this.#following.get(change.serverId);
      next.set(change.serverId, known ?? { change, shownAt: at, saved: true, stored: true, followedAt: 0 });
    }
    // Followed here while the store was being read, or never taken by it; anything else the store no
    // longer has is done (another holder settled it), and must not be told again.
    for (const [serverId, entry] of this.#following) {
      if ((entry.followedAt > readAfter || !entry.stored) && !next.has(serverId)) next.set(serverId, entry);
    }
    this.#following = next;
    this.#wakeIdle();
    return true;
  }

  /** Idle once the outcomes are told, not merely decided. */
  get #idle(): boolean {
    return this.#following.size === 0 && this.#telling.size === 0;
  }

  #wakeIdle(): void {
    if (!this.#idle) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /**
   * With a leader the tracker polls all the time (asking VPS.org only while something is followed),
   * since another replica may start following a change; alone, only while it follows something or
   * the store has yet to forget a settled server.
   */
  #schedule(): void {
    if (this.#stopped || this.#timer !== undefined || this.#polling !== undefined) return;
    if (!this.#options.leader && this.#following.size === 0 && this.#unforgotten.size === 0) return;
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
