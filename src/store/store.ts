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

/**
 * A lease holder's proof that it still holds the lease: the writes it guards are refused once another
 * replica has taken the lease (a newer token), so a holder that paused past its lease cannot undo
 * the new holder's work.
 */
export interface Fence {
  lease: string;
  token: number;
}

/** The answer to a claim on a server: this change may go ahead, or another one is under way. */
export type ChangeClaim = { kind: 'claimed'; token: string } | { kind: 'busy'; change: TrackedChange };

/**
 * Everything the bot must not lose across a restart or a crash, and everything several replicas must
 * agree on. One small interface, so that a shared backend for several replicas can replace the embedded
 * one without touching the service. Every method resolves once its change is durable; a store that
 * cannot be reached throws StoreUnavailableError (errors.ts), and a guarded write whose fence is stale
 * throws LeaseLostError.
 */
export interface StateStore {
  /** False while the store cannot be reached: changes are refused at once, /healthz answers 503. */
  readonly healthy: boolean;

  saveConfirmation(confirmation: Confirmation): Promise<void>;
  /**
   * Atomically: an unused, unexpired confirmation of this user becomes used and is returned as `ok`;
   * anything else is answered without changing it. Of concurrent redeems, one at most is `ok`.
   */
  redeemConfirmation(id: string, userId: string, now: number): Promise<RedeemOutcome>;
  getConfirmation(id: string): Promise<Confirmation | undefined>;

  /** Unguarded (any replica starts following a change it made); guarded with the tracker's fence. */
  saveTracked(change: TrackedChange, fence?: Fence): Promise<void>;
  deleteTracked(serverId: number, fence?: Fence): Promise<void>;
  trackedChanges(): Promise<TrackedChange[]>;

  /**
   * Atomically: marks a change under way on its server unless one already is (claimed and not yet
   * expired, or followed), and answers which. The claim lasts `ttlMs` unless released.
   */
  claimChange(change: TrackedChange, now: number, ttlMs: number): Promise<ChangeClaim>;
  /** Ends a claim, if it is still this one. */
  releaseChange(serverId: number, token: string): Promise<void>;
  /** The change under way on a server: claimed, or followed until it settles. */
  changeUnderWay(serverId: number, now: number): Promise<TrackedChange | undefined>;

  /** False when the channel already had that subscription. */
  addSubscription(subscription: Subscription): Promise<boolean>;
  /** False when the channel had no such subscription. */
  removeSubscription(channelId: string, serverId: number | 'all'): Promise<boolean>;
  subscriptions(): Promise<Subscription[]>;

  fleetState(): Promise<FleetState>;
  /** Also forgets the own changes up to `state.ownSeen`: they are in the snapshot now. */
  saveFleetState(state: FleetState, fence?: Fence): Promise<void>;
  /** The bot changed a server (any replica): the fleet watch must not announce it. */
  noteOwnChange(serverId: number, server: { name: string; status: string } | undefined): Promise<void>;
  /** Own changes not yet forgotten, each server's latest. */
  ownChanges(): Promise<OwnChange[]>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /**
   * The newest `limit` entries about one server, newest first: those with its ID, and refusals that
   * only had the name the person typed. At most AUDIT_PER_SERVER are kept of each.
   */
  auditTrail(server: { id: number; name?: string | undefined }, limit: number): Promise<AuditEntry[]>;

  /** True the first time a delivery (a Slack trigger_id) is seen within `ttlMs`; false for a repeat. */
  firstDelivery(id: string, now: number, ttlMs: number): Promise<boolean>;

  /**
   * Takes the lease `name` for `holder` if nobody holds it, or renews it if `holder` does, for `ttlMs`.
   * Its fencing token when held (a new, higher one each time it changes hands); undefined when
   * another holder has it.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<number | undefined>;
  /** Gives the lease up at once if `holder` has it, so another replica need not wait for it to expire. */
  releaseLease(name: string, holder: string): Promise<void>;

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

/** How many audit entries are kept about each server (and each name typed): `/vps history` shows 20. */
export const AUDIT_PER_SERVER = 50;

/** A used or expired confirmation still answers "already answered" this long, then is forgotten. */
export const KEEP_DECIDED_MS = 60 * 60_000;

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
