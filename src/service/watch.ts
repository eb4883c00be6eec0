import { randomBytes } from 'node:crypto';
import { errorFields, type Logger } from '../log.js';
import type { Delivery, FleetNotice, FleetState, MessageRef, OwnChange, Subscription } from '../records.js';
import { LeaseLostError } from '../store/errors.js';
import { emptyFleetState, type Fence, type StateStore } from '../store/store.js';
import type { VpsClient } from '../vps/client.js';
import type { Server } from '../vps/schemas.js';
import type { Leader } from './tracker.js';
import { ChannelUnavailable } from './undeliverable.js';

/** Where notifications go: the presenter posts them, or updates one it posted. */
export interface NoticeSink {
  post(channel: string, notice: FleetNotice): Promise<MessageRef | undefined>;
  update(ref: MessageRef, notice: FleetNotice): Promise<void>;
}

export interface WatchOptions {
  vps: Pick<VpsClient, 'list'>;
  store: StateStore;
  logger: Logger;
  sink: NoticeSink;
  notifyChannel?: string | undefined;
  watchMs: number;
  now?: () => number;
  /** More changes than this within the window is flapping. */
  flapLimit?: number;
  flapWindowMs?: number;
  /**
   * With several replicas: only the lease holder looks, fences its writes, and checks every
   * VPS_WATCH_SECONDS whether some channel wants notifications (another replica may have subscribed one).
   */
  leader?: Leader | undefined;
}

type Entry = { name: string; status: string };

/** What the bot itself changed, as the watch sees it in one look. */
interface OwnView {
  /** Changed while the list was being made: the list may show either side, so the server is not compared. */
  during: Set<number>;
  /** Deleted by the bot. */
  deleted: Set<number>;
  /** Servers the tracker follows: their card tells their story. */
  followed: Set<number>;
}

/**
 * Looks at the whole fleet every VPS_WATCH_SECONDS (one list request) and tells the subscribed
 * channels what changed since its last look, including changes made outside Slack. The snapshot it
 * compares with is stored, so a change made while the bot was down is told once after it restarts.
 * The bot's own changes, from any replica, are noted in the store and taken into the snapshot, so
 * their live card tells them and the watch does not.
 */
export class FleetWatch {
  readonly #o: Required<Omit<WatchOptions, 'notifyChannel' | 'now' | 'leader'>> & {
    notifyChannel: string | undefined;
    now: () => number;
    leader: Leader | undefined;
  };
  #exclusive: Promise<unknown> = Promise.resolve();
  #looks: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #looking: Promise<void> | undefined;
  #enabled = false;
  #started = false;
  #stopped = false;

  constructor(options: WatchOptions) {
    this.#o = {
      flapLimit: 3,
      flapWindowMs: 10 * 60_000,
      now: Date.now,
      ...options,
      notifyChannel: options.notifyChannel,
      leader: options.leader,
    };
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Starts watching when there is somewhere to tell; the first look is at once. */
  start(): Promise<void> {
    this.#started = true;
    return this.takeOver();
  }

  /**
   * After subscriptions change: look at once when some channel now wants notifications and none did;
   * stop looking (and forget the last look) when none does any more. Watching already, nothing.
   */
  async refresh(): Promise<void> {
    if (this.#enabled && (await this.#wanted())) return;
    await this.takeOver();
  }

  /** On taking the lease (or starting): look at once, or stop looking when no channel wants it. */
  async takeOver(): Promise<void> {
    if (!this.#started || this.#stopped || !this.#acting()) return;
    if (this.#looking) await this.#looking;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#looking;
  }

  /** The bot changed (or created, or deleted) a server: its own card tells it, the watch must not. */
  async noteOwnChange(serverId: number, server: Pick<Server, 'name' | 'status'> | undefined): Promise<void> {
    await this.#o.store.noteOwnChange(serverId, server && { name: server.name, status: server.status });
  }

  /** One look: list the fleet once, compare, decide, remember, then tell. Only the lease holder looks. */
  look(): Promise<void> {
    // One look at a time: two overlapping looks would both see a change and tell it twice.
    const run = this.#looks.then(() => this.#lookOnce());
    this.#looks = run.catch(() => undefined);
    return run;
  }

  async #lookOnce(): Promise<void> {
    const fence = this.#o.leader?.fence();
    if (this.#o.leader && !fence) return;
    await this.#deliver(fence);
    const { store } = this.#o;
    const ownBefore = await store.ownChanges();
    let servers: Server[];
    try {
      servers = await this.#o.vps.list();
    } catch (error) {
      this.#o.logger.warn(errorFields(error), 'fleet watch could not list servers');
      return;
    }
    const [subscriptions, followed, ownNow] = await Promise.all([
      store.subscriptions(),
      store.trackedChanges(),
      store.ownChanges(),
    ]);
    await this.#withState(
      async (state) =>
        this.#compare(state, servers, subscriptions, {
          ownBefore,
          ownNow,
          followed: new Set(followed.map((change) => change.serverId)),
        }),
      fence,
    );
    await this.#deliver(fence);
  }

  #compare(
    state: FleetState,
    servers: Server[],
    subscriptions: Subscription[],
    known: { ownBefore: OwnChange[]; ownNow: OwnChange[]; followed: Set<number> },
  ): FleetState {
    const at = this.#o.now();
    const current: Record<string, Entry> = {};
    for (const server of servers) current[String(server.id)] = { name: server.name, status: server.status };
    const ownSeen = Math.max(state.ownSeen ?? 0, ...known.ownNow.map((change) => change.seq));
    if (!state.snapshot) return { ...state, snapshot: current, ownSeen };
    const { previous, view } = this.#withOwnChanges(state, known);
    const own = (id: number) => view.followed.has(id) || view.during.has(id);
    const next: Record<string, Entry> = {};
    const notices: FleetNotice[] = [];
    for (const [key, now] of Object.entries(current)) {
      const id = Number(key);
      const before = previous[key];
      if (own(id)) {
        const kept = before ?? (view.deleted.has(id) ? undefined : now);
        if (kept) next[key] = kept;
        continue;
      }
      next[key] = now;
      if (!before) notices.push({ kind: 'appeared', serverId: id, name: now.name, status: now.status, at });
      else if (before.status !== now.status) {
        notices.push({
          kind: 'status',
          serverId: id,
          name: now.name,
          from: before.status,
          to: now.status,
          at,
        });
      }
    }
    for (const [key, before] of Object.entries(previous)) {
      if (key in current) continue;
      const id = Number(key);
      if (own(id)) next[key] = before;
      else notices.push({ kind: 'disappeared', serverId: id, name: before.name, status: before.status, at });
    }
    state.snapshot = next;
    state.ownSeen = ownSeen;
    const recipients = (serverId: number) => this.#recipients(serverId, subscriptions);
    for (const notice of notices) state.outbox.push(...this.#flapAware(state, notice, recipients));
    state.outbox.push(...this.#steadied(state, current, recipients));
    return state;
  }

  /**
   * The last look with the bot's own changes since taken in: what they left is what the watch
   * compares with, so only what happened after them (or besides them) is told.
   */
  #withOwnChanges(
    state: FleetState,
    known: { ownBefore: OwnChange[]; ownNow: OwnChange[]; followed: Set<number> },
  ): { previous: Record<string, Entry>; view: OwnView } {
    const previous = { ...state.snapshot };
    const view: OwnView = { during: new Set(), deleted: new Set(), followed: known.followed };
    const before = new Map(known.ownBefore.map((change) => [change.serverId, change.seq]));
    for (const change of known.ownNow) {
      if (change.seq <= (state.ownSeen ?? 0)) continue;
      const key = String(change.serverId);
      if (change.server) previous[key] = change.server;
      else {
        delete previous[key];
        view.deleted.add(change.serverId);
      }
      if (before.get(change.serverId) !== change.seq) view.during.add(change.serverId);
    }
    return { previous, view };
  }

  /** A status change is told as it is, unless the server flaps: then one summary, updated in place. */
  #flapAware(state: FleetState, notice: FleetNotice, recipients: (id: number) => string[]): Delivery[] {
    const channels = recipients(notice.serverId);
    if (notice.kind !== 'status') return channels.map((channel) => delivery(channel, notice));
    const key = String(notice.serverId);
    const window = (state.recent[key] ?? []).filter((change) => notice.at - change.at < this.#o.flapWindowMs);
    window.push({ at: notice.at, from: notice.from, to: notice.to });
    state.recent[key] = window;
    const summary = state.summaries[key];
    const flapping = (changes: number, since: number): FleetNotice => ({
      kind: 'flapping',
      serverId: notice.serverId,
      name: notice.name,
      status: notice.to,
      changes,
      since,
      at: notice.at,
      steady: false,
    });
    if (summary) {
      summary.changes += 1;
      return summary.refs.map((ref) => delivery(ref.channel, flapping(summary.changes, summary.since), ref));
    }
    if (window.length <= this.#o.flapLimit) return channels.map((channel) => delivery(channel, notice));
    const since = window[0]?.at ?? notice.at;
    state.summaries[key] = { since, changes: window.length, refs: [] };
    return channels.map((channel) => delivery(channel, flapping(window.length, since)));
  }

  /** Flapping servers quiet for a whole window: their summary says they are steady, and is done. */
  #steadied(
    state: FleetState,
    current: Record<string, Entry>,
    recipients: (id: number) => string[],
  ): Delivery[] {
    const at = this.#o.now();
    const out: Delivery[] = [];
    for (const [key, changes] of Object.entries(state.recent)) {
      const kept = changes.filter((change) => at - change.at < this.#o.flapWindowMs);
      if (kept.length > 0) state.recent[key] = kept;
      else delete state.recent[key];
    }
    for (const [key, summary] of Object.entries(state.summaries)) {
      if (state.recent[key]) continue;
      const entry = current[key];
      const notice: FleetNotice = {
        kind: 'flapping',
        serverId: Number(key),
        name: entry?.name ?? key,
        status: entry?.status ?? 'gone',
        changes: summary.changes,
        since: summary.since,
        at,
        steady: true,
      };
      // Update the summary where it was posted; if posting it failed, tell the channels afresh.
      if (summary.refs.length > 0) out.push(...summary.refs.map((ref) => delivery(ref.channel, notice, ref)));
      else out.push(...recipients(Number(key)).map((channel) => delivery(channel, notice)));
      delete state.summaries[key];
    }
    return out;
  }

  #recipients(serverId: number, subscriptions: Subscription[]): string[] {
    const channels = new Set<string>();
    if (this.#o.notifyChannel) channels.add(this.#o.notifyChannel);
    for (const subscription of subscriptions) {
      if (subscription.serverId === 'all' || subscription.serverId === serverId)
        channels.add(subscription.channelId);
    }
    return [...channels];
  }

  /**
   * Tells what the outbox holds, one delivery at a time, each crossed off once tried: a channel that
   * cannot take it would otherwise block the rest forever. A channel found unavailable is not tried
   * again in the same round.
   */
  async #deliver(fence: Fence | undefined): Promise<void> {
    const { outbox } = await this.#o.store.fleetState();
    const unavailable = new Set<string>();
    for (const item of outbox) {
      // A holder whose lease may have lapsed leaves the rest to the replica that has it now.
      if (!this.#acting()) return;
      let ref: MessageRef | undefined;
      if (!unavailable.has(item.channel)) {
        try {
          if (item.ref) await this.#o.sink.update(item.ref, item.notice);
          else ref = await this.#o.sink.post(item.channel, item.notice);
        } catch (error) {
          if (error instanceof ChannelUnavailable) {
            unavailable.add(item.channel);
            await this.#cannotPost(error);
          } else {
            this.#o.logger.warn(
              { channel: item.channel, ...errorFields(error) },
              'could not deliver a status notification',
            );
          }
        }
      }
      await this.#withState(async (state) => {
        state.outbox = state.outbox.filter((pending) => pending.id !== item.id);
        const summary = state.summaries[String(item.notice.serverId)];
        if (ref && item.notice.kind === 'flapping' && !item.notice.steady && summary) summary.refs.push(ref);
        return state;
      }, fence);
    }
  }

  /**
   * One log line saying what to do. A channel that is gone loses its subscriptions (through the
   * store), so it is not tried again with every change; one the bot is not in keeps them, as
   * inviting the bot fixes it. VPS_NOTIFY_CHANNEL is a setting: only the log can say it.
   */
  async #cannotPost({ channel, reason, gone }: ChannelUnavailable): Promise<void> {
    const { logger, store, notifyChannel } = this.#o;
    const setting = channel === notifyChannel ? `VPS_NOTIFY_CHANNEL ${channel}` : `channel ${channel}`;
    if (!gone) {
      const fix = channel === notifyChannel ? 'invite the bot to it' : 'invite the bot, or unsubscribe there';
      logger.warn({ channel, reason }, `cannot post status notifications in ${setting} (${reason}): ${fix}`);
      return;
    }
    const dropped = (await store.subscriptions()).filter((s) => s.channelId === channel);
    for (const subscription of dropped) await store.removeSubscription(channel, subscription.serverId);
    const fix =
      channel === notifyChannel
        ? 'set VPS_NOTIFY_CHANNEL to a channel the bot can post in'
        : `dropped its ${dropped.length} status subscription${dropped.length === 1 ? '' : 's'}`;
    logger.warn({ channel, reason, dropped: dropped.length }, `${setting} is gone (${reason}): ${fix}`);
  }

  /** Read-modify-write of the fleet state, one at a time. `undefined` from `change` writes nothing. */
  #withState(
    change: (state: FleetState) => Promise<FleetState | undefined>,
    fence: Fence | undefined,
  ): Promise<void> {
    const run = this.#exclusive.then(async () => {
      const next = await change(await this.#o.store.fleetState());
      if (next) await this.#o.store.saveFleetState(next, fence);
    });
    this.#exclusive = run.catch(() => undefined);
    return run;
  }

  /** Whether this replica runs the watch now: the lease holder, or the only replica. */
  #acting(): boolean {
    return this.#o.leader === undefined || this.#o.leader.fence() !== undefined;
  }

  async #wanted(): Promise<boolean> {
    return this.#o.notifyChannel !== undefined || (await this.#o.store.subscriptions()).length > 0;
  }

  /**
   * One turn: look when some channel wants notifications. When none does, forget the last look (the
   * next one starts fresh) and, alone, stop until a subscription calls refresh(); with a leader, check
   * again next turn, since another replica may subscribe a channel.
   */
  async #turn(): Promise<boolean> {
    const fence = this.#o.leader?.fence();
    if (this.#o.leader && !fence) {
      this.#enabled = false;
      return false;
    }
    if (await this.#wanted()) {
      this.#enabled = true;
      await this.look();
      return true;
    }
    if (this.#enabled) await this.#withState(async () => emptyFleetState(), fence);
    this.#enabled = false;
    return this.#o.leader !== undefined;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped || this.#timer !== undefined || this.#looking !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      let again = true;
      this.#looking = this.#turn()
        .then((more) => {
          again = more;
        })
        .catch((error: unknown) => {
          if (error instanceof LeaseLostError)
            this.#o.logger.warn('fleet watch: another replica holds the lease now');
          else this.#o.logger.error(errorFields(error), 'fleet watch failed');
        })
        .finally(() => {
          this.#looking = undefined;
          if (again) this.#schedule(this.#o.watchMs);
        });
    }, delayMs);
  }
}

function delivery(channel: string, notice: FleetNotice, ref?: MessageRef): Delivery {
  return { id: randomBytes(8).toString('hex'), channel, notice, ...(ref ? { ref } : {}) };
}
