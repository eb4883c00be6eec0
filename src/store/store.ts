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

/**
 * Everything the bot must not lose across a restart or a crash. One small interface, so that a shared
 * backend for several replicas can replace the embedded one without touching the service. Every
 * method resolves once its change is durable.
 */
export interface StateStore {
  saveConfirmation(confirmation: Confirmation): Promise<void>;
  /**
   * Atomically: an unused, unexpired confirmation of this user becomes used and is returned as `ok`;
   * anything else is answered without changing it.
   */
  redeemConfirmation(id: string, userId: string, now: number): Promise<RedeemOutcome>;
  getConfirmation(id: string): Promise<Confirmation | undefined>;

  saveTracked(change: TrackedChange): Promise<void>;
  deleteTracked(serverId: number): Promise<void>;
  trackedChanges(): Promise<TrackedChange[]>;

  /** False when the channel already had that subscription. */
  addSubscription(subscription: Subscription): Promise<boolean>;
  /** False when the channel had no such subscription. */
  removeSubscription(channelId: string, serverId: number | 'all'): Promise<boolean>;
  subscriptions(): Promise<Subscription[]>;

  fleetState(): Promise<FleetState>;
  saveFleetState(state: FleetState): Promise<void>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /**
   * The newest `limit` entries about one server, newest first: those with its ID, and refusals that
   * only had the name the person typed.
   */
  auditTrail(server: { id: number; name?: string | undefined }, limit: number): Promise<AuditEntry[]>;

  // The App Home, two-person approval and scheduled actions.

  /** The newest `limit` audit entries about any server, newest first (at most RECENT_AUDIT are kept). */
  recentAudit(limit: number): Promise<AuditEntry[]>;

  saveApproval(approval: Approval): Promise<void>;
  getApproval(id: string): Promise<Approval | undefined>;
  /**
   * Atomically (decideApprovalRule): an undecided, unexpired approval takes the decision of anyone but
   * its requester and is returned as `ok`; anything else is answered without changing it. Of concurrent
   * decisions, one at most is `ok`.
   */
  decideApproval(id: string, decision: ApprovalDecision): Promise<DecideOutcome>;
  /** Remembers where the approval request was posted; changes nothing else of it. */
  noteApprovalMessage(id: string, message: MessageRef): Promise<void>;
  /** Approvals neither decided nor expired at `now`, oldest first. */
  openApprovals(now: number): Promise<Approval[]>;

  saveSchedule(schedule: Schedule): Promise<void>;
  getSchedule(id: string): Promise<Schedule | undefined>;
  /** Schedules in any of these states, soonest first. */
  schedulesIn(states: readonly ScheduleState[]): Promise<Schedule[]>;
  /**
   * Atomically (claimScheduleRule): a pending schedule moves to `to` and is returned as `ok`; one no
   * longer pending is answered `taken`, unchanged. Of concurrent claims, one at most is `ok`: a
   * schedule runs once, or is cancelled, or is missed.
   */
  claimSchedule(
    id: string,
    to: Extract<ScheduleState, 'running' | 'cancelled' | 'missed'>,
    at: number,
    by?: string,
  ): Promise<ScheduleClaim>;
  /** A running schedule ends, saying how; a schedule not running is left as it is. */
  finishSchedule(
    id: string,
    to: Extract<ScheduleState, 'done' | 'interrupted'>,
    outcome: string,
  ): Promise<void>;

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

export function emptyFleetState(): FleetState {
  return { snapshot: undefined, recent: {}, summaries: {}, outbox: [] };
}
