import type {
  Approval,
  ApprovalDecision,
  DecideOutcome,
  Schedule,
  ScheduleClaim,
  ScheduleState,
} from '../pending-records.js';

/**
 * The rules every store applies to approvals and schedules, kept in one place like decideRedeem:
 * each store runs them as one atomic step (synchronously in memory; a script in a shared store).
 */

/** An undecided, unexpired approval takes the decision of anyone but its requester. */
export function decideApprovalRule(
  approval: Approval | undefined,
  decision: ApprovalDecision,
): DecideOutcome {
  if (approval === undefined) return { kind: 'unknown' };
  if (approval.decision !== undefined) return { kind: 'decided', approval };
  if (decision.at >= approval.expiresAt) return { kind: 'expired', approval };
  if (approval.requester.userId === decision.by) return { kind: 'own', approval };
  return { kind: 'ok', approval: { ...approval, decision } };
}

/** Only a pending schedule can be claimed: to run it, cancel it or report it missed. */
export function claimScheduleRule(
  schedule: Schedule | undefined,
  to: Extract<ScheduleState, 'running' | 'cancelled' | 'missed'>,
  at: number,
  by?: string,
): ScheduleClaim {
  if (schedule === undefined) return { kind: 'unknown' };
  if (schedule.state !== 'pending') return { kind: 'taken', schedule };
  return { kind: 'ok', schedule: { ...schedule, state: to, settledAt: at, settledBy: by } };
}

/** Approvals are answered "already decided" or "expired" for an hour past their expiry, then forgotten. */
export const KEEP_APPROVALS_MS = 60 * 60_000;
/** Finished schedules are kept a week: a late Cancel click is answered, `/vps history` has the rest. */
export const KEEP_SCHEDULES_MS = 7 * 24 * 60 * 60_000;
/** How many of the newest audit entries, across all servers, are kept at hand for the App Home. */
export const RECENT_AUDIT = 50;
