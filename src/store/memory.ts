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
  RedeemOutcome,
  Subscription,
  TrackedChange,
} from '../records.js';
import {
  claimScheduleRule,
  decideApprovalRule,
  KEEP_APPROVALS_MS,
  KEEP_SCHEDULES_MS,
  RECENT_AUDIT,
} from './pending.js';
import { decideRedeem, emptyFleetState, type StateStore } from './store.js';

/** The bot's durable state, as one plain value: what the file store writes to disk. */
export interface StoredState {
  version: 1;
  confirmations: Record<string, Confirmation>;
  tracked: Record<string, TrackedChange>;
  subscriptions: Subscription[];
  /** Two-person approvals by id; absent in files written before approvals existed. */
  approvals?: Record<string, Approval> | undefined;
  /** Scheduled actions by id; absent in files written before schedules existed. */
  schedules?: Record<string, Schedule> | undefined;
}

export function emptyState(): StoredState {
  return { version: 1, confirmations: {}, tracked: {}, subscriptions: [] };
}

/** Answers the "already answered" of a used or expired confirmation for an hour, then forgets it. */
const KEEP_DECIDED_MS = 60 * 60_000;
/** The audit trail kept in memory per server: enough for `/vps history`. */
const TRAIL_PER_SERVER = 50;

/**
 * The state in memory; every change goes through `persist` (nothing here, a file for FileStore).
 * Mutations happen synchronously before persisting, so a check-and-set such as redeeming is atomic.
 */
export class MemoryStore implements StateStore {
  protected state: StoredState = emptyState();
  protected fleet: FleetState = emptyFleetState();
  protected readonly trails = new Map<number, AuditEntry[]>();
  /** Entries that name a server without its ID (refused before any lookup). */
  protected readonly namedTrails = new Map<string, AuditEntry[]>();
  /** The newest entries about any server, oldest first, for the App Home. */
  protected readonly recent: AuditEntry[] = [];

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
    const outcome = decideRedeem(this.state.confirmations[id], userId, now);
    if (outcome.kind !== 'ok') return structuredClone(outcome);
    this.state.confirmations[id] = outcome.confirmation;
    await this.persist('state');
    return structuredClone(outcome);
  }

  async getConfirmation(id: string): Promise<Confirmation | undefined> {
    return structuredClone(this.state.confirmations[id]);
  }

  async saveTracked(change: TrackedChange): Promise<void> {
    this.state.tracked[String(change.serverId)] = structuredClone(change);
    await this.persist('state');
  }

  async deleteTracked(serverId: number): Promise<void> {
    delete this.state.tracked[String(serverId)];
    await this.persist('state');
  }

  async trackedChanges(): Promise<TrackedChange[]> {
    return structuredClone(Object.values(this.state.tracked));
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

  async saveFleetState(state: FleetState): Promise<void> {
    this.fleet = structuredClone(state);
    await this.persist('fleet');
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
    return structuredClone(this.state.approvals?.[id]);
  }

  async decideApproval(id: string, decision: ApprovalDecision): Promise<DecideOutcome> {
    const outcome = decideApprovalRule(this.state.approvals?.[id], decision);
    if (outcome.kind !== 'ok') return structuredClone(outcome);
    this.#approvals()[id] = outcome.approval;
    await this.persist('state');
    return structuredClone(outcome);
  }

  async noteApprovalMessage(id: string, message: MessageRef): Promise<void> {
    const approval = this.state.approvals?.[id];
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
    return structuredClone(this.state.schedules?.[id]);
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
    const claim = claimScheduleRule(this.state.schedules?.[id], to, at, by);
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
    const schedule = this.state.schedules?.[id];
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

  #prune(now: number): void {
    for (const [id, confirmation] of Object.entries(this.state.confirmations)) {
      if (confirmation.expiresAt + KEEP_DECIDED_MS < now) delete this.state.confirmations[id];
    }
  }
}

function keepLast<K>(trails: Map<K, AuditEntry[]>, key: K, entry: AuditEntry): void {
  const trail = trails.get(key) ?? [];
  trail.push(structuredClone(entry));
  if (trail.length > TRAIL_PER_SERVER) trail.splice(0, trail.length - TRAIL_PER_SERVER);
  trails.set(key, trail);
}
