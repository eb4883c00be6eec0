import { randomBytes } from 'node:crypto';
import type {
  Approval,
  ApprovalDecision,
  DecideOutcome,
  Schedule,
  ScheduleClaim,
  ScheduleState,
} from '../pending-records.js';
import type {
  AuditEntry,
  Confirmation,
  FleetState,
  MessageRef,
  OwnChange,
  RedeemOutcome,
  Subscription,
  TrackedChange,
} from '../records.js';
import { LeaseLostError } from './errors.js';
import {
  claimScheduleRule,
  decideApprovalRule,
  KEEP_APPROVALS_MS,
  KEEP_SCHEDULES_MS,
  RECENT_AUDIT,
} from './pending.js';
import {
  AUDIT_PER_SERVER,
  type ChangeClaim,
  decideRedeem,
  emptyFleetState,
  type Fence,
  KEEP_DECIDED_MS,
  type StateStore,
} from './store.js';

/** The bot's durable state, as one plain value: what the file store writes to disk. */
export interface StoredState {
  version: 1;
  confirmations: Record<string, Confirmation>;
  tracked: Record<string, TrackedChange>;
  subscriptions: Subscription[];
  /** The bot's own changes not yet taken into the fleet watch's snapshot, by server id. */
  ownChanges?: Record<string, OwnChange> | undefined;
  /** The last OwnChange `seq` given. */
  ownSeq?: number | undefined;
  /** Two-person approvals by id; absent in files written before approvals existed. */
  approvals?: Record<string, Approval> | undefined;
  /** Scheduled actions by id; absent in files written before schedules existed. */
  schedules?: Record<string, Schedule> | undefined;
}

export function emptyState(): StoredState {
  return { version: 1, confirmations: {}, tracked: {}, subscriptions: [] };
}

/** Everything a store holds, as plain values: what `npm run import-state` moves into Redis. */
export interface StateExport {
  state: StoredState;
  fleet: FleetState;
}

/**
 * The state in memory; every change goes through `persist` (nothing here, a file for FileStore).
 * Mutations happen synchronously before persisting, so a check-and-set such as redeeming is atomic.
 * Claims, delivery ids and leases matter only while the process runs: they are never persisted.
 */
export class MemoryStore implements StateStore {
  protected state: StoredState = emptyState();
  protected fleet: FleetState = emptyFleetState();
  protected readonly trails = new Map<number, AuditEntry[]>();
  /** Entries that name a server without its ID (refused before any lookup). */
  protected readonly namedTrails = new Map<string, AuditEntry[]>();
  /** The newest entries about any server, oldest first, for the App Home. */
  protected readonly recent: AuditEntry[] = [];
  readonly #claims = new Map<number, { token: string; change: TrackedChange; expiresAt: number }>();
  /** Delivery id → when it is forgotten; in the order seen. */
  readonly #deliveries = new Map<string, number>();
  readonly #leases = new Map<string, { holder: string; token: number; expiresAt: number }>();
  readonly #leaseTokens = new Map<string, number>();

  get healthy(): boolean {
    return true;
  }

  /** Makes the latest `state` (or `fleet`) durable. */
  protected async persist(_part: 'state' | 'fleet'): Promise<void> {}

  /** Makes one audit entry durable. */
  protected async persistAudit(_entry: AuditEntry): Promise<void> {}

  async saveConfirmation(confirmation: Confirmation): Promise<void> {
    this.#prune(confirmation.createdAt);
    this.state.confirmations[confirmation.id] = structuredClone(confirmation);
    await this.persist('state');
  }

  async redeemConfirmation(id: string, userId: string, now: number): Promise<RedeemOutcome> {
    const outcome = decideRedeem(own(this.state.confirmations, id), userId, now);
    if (outcome.kind !== 'ok') return structuredClone(outcome);
    this.state.confirmations[id] = outcome.confirmation;
    await this.persist('state');
    return structuredClone(outcome);
  }

  async getConfirmation(id: string): Promise<Confirmation | undefined> {
    return structuredClone(own(this.state.confirmations, id));
  }

  async saveTracked(change: TrackedChange, fence?: Fence): Promise<void> {
    this.#checkFence(fence);
    this.state.tracked[String(change.serverId)] = structuredClone(change);
    await this.persist('state');
  }

  async deleteTracked(serverId: number, fence?: Fence): Promise<void> {
    this.#checkFence(fence);
    delete this.state.tracked[String(serverId)];
    await this.persist('state');
  }

  async trackedChanges(): Promise<TrackedChange[]> {
    return structuredClone(Object.values(this.state.tracked));
  }

  async claimChange(change: TrackedChange, now: number, ttlMs: number): Promise<ChangeClaim> {
    const underWay = this.#underWay(change.serverId, now);
    if (underWay) return { kind: 'busy', change: structuredClone(underWay) };
    const token = randomBytes(9).toString('base64url');
    this.#claims.set(change.serverId, { token, change: structuredClone(change), expiresAt: now + ttlMs });
    return { kind: 'claimed', token };
  }

  async releaseChange(serverId: number, token: string): Promise<void> {
    if (this.#claims.get(serverId)?.token === token) this.#claims.delete(serverId);
  }

  async changeUnderWay(serverId: number, now: number): Promise<TrackedChange | undefined> {
    return structuredClone(this.#underWay(serverId, now));
  }

  async addSubscription(subscription: Subscription): Promise<boolean> {
    const exists = this.state.subscriptions.some(
      (s) => s.channelId === subscription.channelId && s.serverId === subscription.serverId,
    );
    if (exists) return false;
    this.state.subscriptions.push(structuredClone(subscription));
    await this.persist('state');
    return true;
  }

  async removeSubscription(channelId: string, serverId: number | 'all'): Promise<boolean> {
    const before = this.state.subscriptions.length;
    this.state.subscriptions = this.state.subscriptions.filter(
      (s) => !(s.channelId === channelId && s.serverId === serverId),
    );
    if (this.state.subscriptions.length === before) return false;
    await this.persist('state');
    return true;
  }

  async subscriptions(): Promise<Subscription[]> {
    return structuredClone(this.state.subscriptions);
  }

  async fleetState(): Promise<FleetState> {
    return structuredClone(this.fleet);
  }

  async saveFleetState(state: FleetState, fence?: Fence): Promise<void> {
    this.#checkFence(fence);
    this.fleet = structuredClone(state);
    const seen = state.ownSeen ?? 0;
    const own = this.state.ownChanges ?? {};
    const taken = Object.entries(own).filter(([, change]) => change.seq <= seen);
    for (const [key] of taken) delete own[key];
    await Promise.all([this.persist('fleet'), taken.length > 0 ? this.persist('state') : undefined]);
  }

  async noteOwnChange(serverId: number, server: { name: string; status: string } | undefined): Promise<void> {
    const seq = (this.state.ownSeq ?? 0) + 1;
    this.state.ownSeq = seq;
    this.state.ownChanges ??= {};
    this.state.ownChanges[String(serverId)] = {
      serverId,
      seq,
      ...(server ? { server: { name: server.name, status: server.status } } : {}),
    };
    await this.persist('state');
  }

  async ownChanges(): Promise<OwnChange[]> {
    return structuredClone(Object.values(this.state.ownChanges ?? {}));
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.remember(entry);
    await this.persistAudit(entry);
  }

  async auditTrail(server: { id: number; name?: string | undefined }, limit: number): Promise<AuditEntry[]> {
    const byId = this.trails.get(server.id) ?? [];
    const byName = server.name === undefined ? [] : (this.namedTrails.get(server.name) ?? []);
    const merged = [...byId, ...byName].sort((a, b) => a.time.localeCompare(b.time));
    return structuredClone(merged.slice(-limit).reverse());
  }

  async firstDelivery(id: string, now: number, ttlMs: number): Promise<boolean> {
    for (const [seen, forgetAt] of this.#deliveries) {
      if (forgetAt > now) break;
      this.#deliveries.delete(seen);
    }
    const forgetAt = this.#deliveries.get(id);
    if (forgetAt !== undefined && forgetAt > now) return false;
    // Re-inserted at the end, so the map stays in the order of forgetting.
    this.#deliveries.delete(id);
    this.#deliveries.set(id, now + ttlMs);
    return true;
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<number | undefined> {
    // Leases are real time whatever clock the bot runs on, as Redis's expiries are.
    const now = Date.now();
    const lease = this.#leases.get(name);
    if (lease && lease.expiresAt > now) {
      if (lease.holder !== holder) return undefined;
      lease.expiresAt = now + ttlMs;
      return lease.token;
    }
    const token = (this.#leaseTokens.get(name) ?? 0) + 1;
    this.#leaseTokens.set(name, token);
    this.#leases.set(name, { holder, token, expiresAt: now + ttlMs });
    return token;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.#leases.get(name)?.holder === holder) this.#leases.delete(name);
  }

  /** Everything held, as plain values. */
  async exportState(): Promise<StateExport> {
    return structuredClone({ state: this.state, fleet: this.fleet });
  }

  async close(): Promise<void> {}

  protected remember(entry: AuditEntry): void {
    if (entry.serverId !== undefined) keepLast(this.trails, entry.serverId, entry);
    else if (entry.serverName !== undefined) keepLast(this.namedTrails, entry.serverName, entry);
    this.recent.push(structuredClone(entry));
    if (this.recent.length > RECENT_AUDIT) this.recent.splice(0, this.recent.length - RECENT_AUDIT);
  }

  // The App Home, two-person approval and scheduled actions. Each check-and-set is synchronous before
  // it persists, like redeeming a confirmation, so it is atomic within the process.

  async recentAudit(limit: number): Promise<AuditEntry[]> {
    return structuredClone(this.recent.slice(-limit).reverse());
  }

  async saveApproval(approval: Approval): Promise<void> {
    const approvals = this.#approvals();
    for (const [id, old] of Object.entries(approvals)) {
      if (old.expiresAt + KEEP_APPROVALS_MS < approval.createdAt) delete approvals[id];
    }
    approvals[approval.id] = structuredClone(approval);
    await this.persist('state');
  }

  async getApproval(id: string): Promise<Approval | undefined> {
    return structuredClone(own(this.state.approvals, id));
  }

  async decideApproval(id: string, decision: ApprovalDecision): Promise<DecideOutcome> {
    const outcome = decideApprovalRule(own(this.state.approvals, id), decision);
    if (outcome.kind !== 'ok') return structuredClone(outcome);
    this.#approvals()[id] = outcome.approval;
    await this.persist('state');
    return structuredClone(outcome);
  }

  async noteApprovalMessage(id: string, message: MessageRef): Promise<void> {
    const approval = own(this.state.approvals, id);
    if (!approval) return;
    approval.message = { ...message };
    await this.persist('state');
  }

  async openApprovals(now: number): Promise<Approval[]> {
    const open = Object.values(this.state.approvals ?? {}).filter(
      (approval) => approval.decision === undefined && now < approval.expiresAt,
    );
    return structuredClone(open.sort((a, b) => a.createdAt - b.createdAt));
  }

  async saveSchedule(schedule: Schedule): Promise<void> {
    const schedules = this.#schedules();
    for (const [id, old] of Object.entries(schedules)) {
      const finished = old.state !== 'pending' && old.state !== 'running';
      if (finished && (old.settledAt ?? old.at) + KEEP_SCHEDULES_MS < schedule.createdAt)
        delete schedules[id];
    }
    schedules[schedule.id] = structuredClone(schedule);
    await this.persist('state');
  }

  async getSchedule(id: string): Promise<Schedule | undefined> {
    return structuredClone(own(this.state.schedules, id));
  }

  async schedulesIn(states: readonly ScheduleState[]): Promise<Schedule[]> {
    const found = Object.values(this.state.schedules ?? {}).filter((s) => states.includes(s.state));
    return structuredClone(found.sort((a, b) => a.at - b.at || a.createdAt - b.createdAt));
  }

  async claimSchedule(
    id: string,
    to: Extract<ScheduleState, 'running' | 'cancelled' | 'missed'>,
    at: number,
    by?: string,
  ): Promise<ScheduleClaim> {
    const claim = claimScheduleRule(own(this.state.schedules, id), to, at, by);
    if (claim.kind !== 'ok') return structuredClone(claim);
    this.#schedules()[id] = claim.schedule;
    await this.persist('state');
    return structuredClone(claim);
  }

  async finishSchedule(
    id: string,
    to: Extract<ScheduleState, 'done' | 'interrupted'>,
    outcome: string,
  ): Promise<void> {
    const schedule = own(this.state.schedules, id);
    if (schedule?.state !== 'running') return;
    schedule.state = to;
    schedule.outcome = outcome;
    await this.persist('state');
  }

  #approvals(): Record<string, Approval> {
    this.state.approvals ??= {};
    return this.state.approvals;
  }

  #schedules(): Record<string, Schedule> {
    this.state.schedules ??= {};
    return this.state.schedules;
  }

  #underWay(serverId: number, now: number): TrackedChange | undefined {
    const claim = this.#claims.get(serverId);
    if (claim && claim.expiresAt <= now) this.#claims.delete(serverId);
    else if (claim) return claim.change;
    return this.state.tracked[String(serverId)];
  }

  #checkFence(fence: Fence | undefined): void {
    if (fence === undefined) return;
    const lease = this.#leases.get(fence.lease);
    if (!lease || lease.token !== fence.token || lease.expiresAt <= Date.now()) {
      throw new LeaseLostError(fence.lease);
    }
  }

  #prune(now: number): void {
    for (const [id, confirmation] of Object.entries(this.state.confirmations)) {
      if (confirmation.expiresAt + KEEP_DECIDED_MS < now) delete this.state.confirmations[id];
    }
  }
}

/**
 * Servers (or typed names) whose trails are kept in memory: the ones written to most recently. Refused
 * commands may name anything, so without a bound every made-up name would stay for good.
 */
export const AUDIT_TRAILS_KEPT = 10_000;

function keepLast<K>(trails: Map<K, AuditEntry[]>, key: K, entry: AuditEntry): void {
  const trail = trails.get(key) ?? [];
  trail.push(structuredClone(entry));
  if (trail.length > AUDIT_PER_SERVER) trail.splice(0, trail.length - AUDIT_PER_SERVER);
  // Written last, so it goes last in the map's order: the first key is the one written longest ago.
  trails.delete(key);
  trails.set(key, trail);
  if (trails.size > AUDIT_TRAILS_KEPT) {
    const oldest = trails.keys().next();
    if (oldest.done !== true) trails.delete(oldest.value);
  }
}

/**
 * The entry a record holds under `key` itself: IDs come from button values and forms, and one such as
 * `__proto__` or `constructor` must find nothing, not what every object inherits.
 */
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
