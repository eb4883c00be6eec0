import type { webApi } from '@slack/bolt';
import { errorFields, type Logger } from '../log.js';
import type { ServerService } from '../service/service.js';
import { StoreUnavailableError } from '../store/errors.js';
import type { Server } from '../vps/schemas.js';
import { type HomeData, homeView } from './blocks/home.js';
import { errorSentence } from './blocks/sentences.js';
import { RateWindow } from './rate-window.js';

export interface HomeOptions {
  service: ServerService;
  client: webApi.WebClient;
  logger: Logger;
  /** The bot's clock, for what the Home tab says (elapsed times, expiries). */
  now: () => number;
  /** At most one publish a person per window, however many changes happen in it. */
  windowMs?: number;
  /** Someone who opened their Home tab this recently is kept up to date; the others on their next open. */
  viewerTtlMs?: number;
  /**
   * Refreshes across everyone, a minute: views.publish is in Slack's Tier 4 (100+ a minute). Beyond
   * it, people wait for the next window; a person opening their tab is always answered.
   */
  refreshesPerMinute?: number;
}

/** What every Home tab of one refresh shares: one look at the fleet, whoever looks. */
interface Shared {
  servers: Server[] | undefined;
  fleetProblem: string | undefined;
  rest: Omit<
    HomeData,
    'userId' | 'operator' | 'everyone' | 'servers' | 'fleetProblem' | 'approvals' | 'page' | 'now'
  >;
  approvals: HomeData['approvals'];
}

/**
 * The App Home tabs: published when someone opens theirs, and refreshed when something they see
 * changes, coalesced so that a burst of changes (a 200-server fleet changing at once) costs one
 * publish a person a window, and one list request to VPS.org a refresh, whoever is looking.
 */
export class HomeTabs {
  readonly #o: Required<HomeOptions>;
  /** Who opened their Home tab, and when (real time: the window is about Slack's rate limits). */
  readonly #viewers = new Map<string, number>();
  readonly #pages = new Map<string, number>();
  readonly #published = new Map<string, number>();
  readonly #dirty = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #lastFlush = 0;
  readonly #rate: RateWindow;
  #stopped = false;

  constructor(options: HomeOptions) {
    this.#o = { windowMs: 3000, viewerTtlMs: 30 * 60_000, refreshesPerMinute: 90, ...options };
    this.#rate = new RateWindow(this.#o.refreshesPerMinute);
  }

  /** app_home_opened: the person sees a fresh view, unless the one they have is fresh already. */
  async opened(userId: string): Promise<void> {
    this.#viewers.set(userId, Date.now());
    const publishedAt = this.#published.get(userId);
    const fresh = publishedAt !== undefined && Date.now() - publishedAt < this.#o.windowMs;
    if (fresh && !this.#dirty.has(userId)) return;
    this.#dirty.delete(userId);
    await this.#publishAll([userId]);
  }

  /** A page button on the Home tab. */
  async page(userId: string, page: number): Promise<void> {
    this.#pages.set(userId, page);
    this.#viewers.set(userId, Date.now());
    this.#dirty.delete(userId);
    await this.#publishAll([userId]);
  }

  /** Something a Home tab shows changed: every recent viewer gets a refresh, at most once a window. */
  changed(): void {
    if (this.#stopped) return;
    const now = Date.now();
    for (const [userId, at] of this.#viewers) {
      if (now - at > this.#o.viewerTtlMs) this.#viewers.delete(userId);
      else this.#dirty.add(userId);
    }
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#flushing !== undefined || this.#dirty.size === 0 || this.#stopped)
      return;
    const wait = Math.max(0, this.#lastFlush + this.#o.windowMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const users = [...this.#dirty].slice(0, this.#rate.room());
      for (const user of users) this.#dirty.delete(user);
      this.#lastFlush = Date.now();
      this.#flushing = this.#publishAll(users).finally(() => {
        this.#flushing = undefined;
        this.#schedule();
      });
    }, wait);
  }

  async #publishAll(users: readonly string[]): Promise<void> {
    if (users.length === 0) return;
    let shared: Shared;
    try {
      shared = await this.#shared();
    } catch (error) {
      this.#o.logger.error(errorFields(error), 'could not gather the Home tab');
      return;
    }
    for (const userId of users) await this.#publish(userId, shared);
  }

  async #shared(): Promise<Shared> {
    const { service } = this.#o;
    let servers: Server[] | undefined;
    let fleetProblem: string | undefined;
    try {
      servers = await service.list();
    } catch (error) {
      fleetProblem = errorSentence(error);
    }
    try {
      const [following, recent, schedules, approvals] = await Promise.all([
        service.inTransition(),
        service.recentChanges(20),
        service.pendingSchedules(),
        service.openApprovals(),
      ]);
      return { servers, fleetProblem, rest: { following, recent, schedules }, approvals };
    } catch (error) {
      // The state store is away: the fleet, a lookup that needs no state, is still shown.
      if (!(error instanceof StoreUnavailableError)) throw error;
      const rest = { following: [], recent: [], schedules: [], stateProblem: errorSentence(error) };
      return { servers, fleetProblem, rest, approvals: [] };
    }
  }

  async #publish(userId: string, shared: Shared): Promise<void> {
    const { service, client, logger, now } = this.#o;
    try {
      const operator = await service.mayChange(userId);
      const view = homeView({
        userId,
        operator,
        everyone: service.everyoneMayChange,
        servers: shared.servers,
        fleetProblem: shared.fleetProblem,
        ...shared.rest,
        approvals: operator ? shared.approvals.filter((a) => a.requester.userId !== userId) : [],
        page: this.#pages.get(userId) ?? 1,
        now: now(),
      });
      this.#rate.spend();
      await client.views.publish({ user_id: userId, view });
      this.#published.set(userId, Date.now());
    } catch (error) {
      logger.warn({ ...errorFields(error), user: userId }, 'could not publish a Home tab');
    }
  }
}
