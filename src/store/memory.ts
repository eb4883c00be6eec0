import type {
  AuditEntry,
  Confirmation,
  FleetState,
  RedeemOutcome,
  Subscription,
  TrackedChange,
} from '../records.js';
import { decideRedeem, emptyFleetState, type StateStore } from './store.js';

/** The bot's durable state, as one plain value: what the file store writes to disk. */
export interface StoredState {
  version: 1;
  confirmations: Record<string, Confirmation>;
  tracked: Record<string, TrackedChange>;
  subscriptions: Subscription[];
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
