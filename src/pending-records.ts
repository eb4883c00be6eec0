/**
 * Records of changes that wait: for a second operator (approvals) or for their time (schedules).
 * Like records.ts, shared by the service that decides them and the store that makes them durable.
 */
import type { Actor, ChangeRequest, Confirmation, MessageRef } from './records.js';

/** The power changes that can be scheduled. */
export type ScheduledAction = 'start' | 'stop' | 'reboot';

/**
 * When a change is to happen, as the person asked: at an instant, or (`stop … for 2h`) now, with the
 * server started again that long after. `zone` is the person's time zone, to say times back in words.
 */
export type Timing =
  | { kind: 'at'; at: number; zone: string }
  | { kind: 'for'; durationMs: number; zone: string };

/** A change confirmed by the person who asked, waiting for another operator to approve or reject it. */
export interface Approval {
  id: string;
  request: ChangeRequest;
  requester: Actor;
  /** The server as it was when confirmed: a change since means the approver would approve something else. */
  server?: Confirmation['server'];
  timing?: Timing | undefined;
  createdAt: number;
  expiresAt: number;
  /** The approval request posted in the channel, to update once decided. */
  message?: MessageRef | undefined;
  decision?: ApprovalDecision | undefined;
}

export interface ApprovalDecision {
  verdict: 'approved' | 'rejected';
  by: string;
  at: number;
}

export type DecideOutcome =
  | { kind: 'ok'; approval: Approval }
  | { kind: 'unknown' }
  | { kind: 'decided'; approval: Approval }
  | { kind: 'expired'; approval: Approval }
  | { kind: 'own'; approval: Approval };

/**
 * pending → running (its time came) → done or interrupted (the bot stopped while running it);
 * pending → cancelled, or → missed (the bot was down past the grace).
 */
export type ScheduleState = 'pending' | 'running' | 'done' | 'cancelled' | 'missed' | 'interrupted';

/** A power change to run once at a set time. */
export interface Schedule {
  id: string;
  action: ScheduledAction;
  serverId: number;
  serverName: string;
  at: number;
  zone: string;
  /** Who scheduled it; the channel it was asked in is where it reports. */
  by: Actor;
  approvedBy?: string | undefined;
  /** The start half of `stop … for <duration>`. */
  restart?: boolean | undefined;
  createdAt: number;
  state: ScheduleState;
  /** When it left `pending`, and who cancelled it. */
  settledAt?: number | undefined;
  settledBy?: string | undefined;
  /** How it ended, in a word: ok, nothing_to_do, gone, busy, an error kind… */
  outcome?: string | undefined;
}

export type ScheduleClaim =
  | { kind: 'ok'; schedule: Schedule }
  | { kind: 'unknown' }
  | { kind: 'taken'; schedule: Schedule };

/** Who else stands behind a change: the operator who approved it, the time it was scheduled for. */
export interface Attribution {
  approvedBy?: string | undefined;
  scheduledFor?: number | undefined;
}
