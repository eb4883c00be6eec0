import type { AuditEntry, Confirmation, RedeemOutcome, TrackedChange } from '../service/types.js';

/**
 * Everything the bot must not lose. One small interface so that another backend (a shared one for
 * several replicas) can replace the embedded one without touching the service.
 */
export interface StateStore {
  saveConfirmation(confirmation: Confirmation): Promise<void>;
  /**
   * Atomically: an unused, unexpired confirmation of this user becomes used and is returned as `ok`;
   * anything else is answered without changing it. Resolves once the change is durable.
   */
  redeemConfirmation(id: string, userId: string, now: number): Promise<RedeemOutcome>;
  getConfirmation(id: string): Promise<Confirmation | undefined>;

  saveTracked(change: TrackedChange): Promise<void>;
  deleteTracked(serverId: number): Promise<void>;
  trackedChanges(): Promise<TrackedChange[]>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /** The newest `limit` entries about one server, newest first. */
  auditTrail(serverId: number, limit: number): Promise<AuditEntry[]>;

  close(): Promise<void>;
}

/** The rule every store applies when redeeming, kept in one place. */
export function decideRedeem(
  confirmation: Confirmation | undefined,
  userId: string,
  now: number,
): RedeemOutcome {
  if (confirmation === undefined) return { kind: 'unknown' };
  if (confirmation.usedAt !== undefined) return { kind: 'used', confirmation };
  if (now >= confirmation.expiresAt) return { kind: 'expired', confirmation };
  if (confirmation.userId !== userId) return { kind: 'wrong_user', confirmation };
  return { kind: 'ok', confirmation: { ...confirmation, usedAt: now } };
}
