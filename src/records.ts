/**
 * The records the bot keeps: what the service decides and the store makes durable. Both import
 * them from here, so the store never depends on the service.
 */
import type { Timing } from './pending-records.js';
import type { CreateServerInput, UpdateServerInput } from './vps/inputs.js';

/** Who asks, and where the answer goes. Channel and reply address are opaque to the service. */
export interface Actor {
  userId: string;
  teamId?: string | undefined;
  channelId?: string | undefined;
  /** Where a reply can go when the channel cannot take a message (Slack: a response_url). */
  replyUrl?: string | undefined;
}

/** A change to an existing server, before it is known which server `<server>` names. */
export type ChangeSpec =
  | { action: 'start' | 'stop' | 'reboot' | 'delete' }
  | { action: 'rename'; name: string }
  | { action: 'hostname'; hostname: string }
  | { action: 'backups'; enabled: boolean }
  | { action: 'edit'; values: UpdateServerInput };

export type ChangeRequest =
  | (ChangeSpec & { serverId: number })
  | { action: 'create'; input: CreateServerInput };

export type ChangeAction = ChangeRequest['action'];

/** A change that waits for the person who asked to confirm it. */
export interface Confirmation {
  id: string;
  userId: string;
  request: ChangeRequest;
  /** The server as it was when asked: a change since means the person confirmed something else. */
  server?: { id: number; name: string; status: string; updatedAt: string } | undefined;
  actor: Actor;
  createdAt: number;
  expiresAt: number;
  usedAt?: number | undefined;
  /** A scheduled change (`at`, `in`, `for`): what is confirmed is the plan, not an action now. */
  timing?: Timing | undefined;
}

export type RedeemOutcome =
  | { kind: 'ok'; confirmation: Confirmation }
  | { kind: 'unknown' }
  | { kind: 'used'; confirmation: Confirmation }
  | { kind: 'expired'; confirmation: Confirmation }
  | { kind: 'wrong_user'; confirmation: Confirmation };

/** A server followed through a transition until it settles. */
export interface TrackedChange {
  serverId: number;
  serverName: string;
  action: ChangeAction;
  actor: Actor;
  startedAt: number;
  /** The status it was last seen in. */
  status: string;
  /** What the presenter needs to update the message it posted (opaque JSON). */
  card?: unknown;
}

export type AuditOutcome =
  | 'ok'
  | 'forbidden'
  | 'confirmation_requested'
  | 'cancelled'
  | 'expired'
  | 'already_used'
  | 'wrong_user'
  | 'changed_meanwhile'
  | 'nothing_to_do'
  | 'busy'
  | 'timeout_unknown'
  | string;

/** What the audit trail records: every change attempt, and who subscribed a channel to what. */
export type AuditAction = ChangeAction | 'subscribe' | 'unsubscribe';

export interface AuditEntry {
  time: string;
  user: string;
  team?: string | undefined;
  channel?: string | undefined;
  action: AuditAction;
  serverId?: number | undefined;
  serverName?: string | undefined;
  params: Record<string, unknown>;
  outcome: AuditOutcome;
  /** Two-person approval: the operator who approved the change `user` asked for. */
  approvedBy?: string | undefined;
  /** A scheduled change the bot carried out at its time (ISO), for `user`, who scheduled it. */
  scheduledFor?: string | undefined;
}

/** A channel that gets status notifications: about every server, or about one. */
export interface Subscription {
  channelId: string;
  serverId: number | 'all';
  /** The server's name when subscribed, for display. */
  serverName?: string | undefined;
  by: string;
  at: string;
}

/** A message the bot posted, to update in place. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** A status notification, before it is rendered for a channel. */
export type FleetNotice =
  | { kind: 'appeared'; serverId: number; name: string; status: string; at: number }
  | { kind: 'disappeared'; serverId: number; name: string; status: string; at: number }
  | { kind: 'status'; serverId: number; name: string; from: string; to: string; at: number }
  | {
      kind: 'flapping';
      serverId: number;
      name: string;
      status: string;
      changes: number;
      since: number;
      at: number;
      steady: boolean;
    };

/** A notification on its way to one channel: posted, or (a flapping summary) updated in place. */
export interface Delivery {
  id: string;
  channel: string;
  notice: FleetNotice;
  ref?: MessageRef | undefined;
}

export interface StatusChange {
  at: number;
  from: string;
  to: string;
}

/**
 * A change the bot made to a server, noted by whichever replica made it, so that the fleet watch (run
 * by one replica) does not announce it a second time. `seq` orders notes across replicas.
 */
export interface OwnChange {
  serverId: number;
  seq: number;
  /** The server as the change left it; undefined once deleted. */
  server?: { name: string; status: string } | undefined;
}

/** Everything the fleet watch needs to remember across restarts, saved as one piece. */
export interface FleetState {
  /** The fleet as last seen: id → name and status. Undefined until the first look. */
  snapshot?: Record<string, { name: string; status: string }> | undefined;
  /** Status changes seen in the flapping window, per server id. */
  recent: Record<string, StatusChange[]>;
  /** Servers flapping now: their one summary message per channel, updated in place. */
  summaries: Record<string, { since: number; changes: number; refs: MessageRef[] }>;
  /** Notifications decided but not yet delivered (a crash between the two loses none). */
  outbox: Delivery[];
  /** The highest OwnChange `seq` already taken into `snapshot`. */
  ownSeen?: number | undefined;
}
