import type { AuditEntry, Confirmation, RedeemOutcome, TrackedChange } from '../service/types.js';
import { decideRedeem, type StateStore } from './store.js';

/** Kept only in memory: for tests and throwaway runs. */
export class MemoryStore implements StateStore {
  readonly #confirmations = new Map<string, Confirmation>();
  readonly #tracked = new Map<number, TrackedChange>();
  readonly #audit: AuditEntry[] = [];

  async saveConfirmation(confirmation: Confirmation): Promise<void> {
    this.#confirmations.set(confirmation.id, structuredClone(confirmation));
  }

  async redeemConfirmation(id: string, userId: string, now: number): Promise<RedeemOutcome> {
    const outcome = decideRedeem(this.#confirmations.get(id), userId, now);
    if (outcome.kind === 'ok') this.#confirmations.set(id, outcome.confirmation);
    return structuredClone(outcome);
  }

  async getConfirmation(id: string): Promise<Confirmation | undefined> {
    return structuredClone(this.#confirmations.get(id));
  }

  async saveTracked(change: TrackedChange): Promise<void> {
    this.#tracked.set(change.serverId, structuredClone(change));
  }

  async deleteTracked(serverId: number): Promise<void> {
    this.#tracked.delete(serverId);
  }

  async trackedChanges(): Promise<TrackedChange[]> {
    return structuredClone([...this.#tracked.values()]);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.#audit.push(structuredClone(entry));
  }

  async auditTrail(serverId: number, limit: number): Promise<AuditEntry[]> {
    return structuredClone(
      this.#audit
        .filter((entry) => entry.serverId === serverId)
        .slice(-limit)
        .reverse(),
    );
  }

  async close(): Promise<void> {}
}
