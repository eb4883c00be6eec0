import type { CreateServerInput, UpdateServerInput } from '../vps/inputs.js';
import type { Server } from '../vps/schemas.js';

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
  server: { id: number; name: string; status: string; updatedAt: string } | undefined;
  actor: Actor;
  createdAt: number;
  expiresAt: number;
  usedAt?: number | undefined;
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

export interface AuditEntry {
  time: string;
  user: string;
  team: string | undefined;
  channel: string | undefined;
  action: ChangeAction;
  serverId: number | undefined;
  serverName: string | undefined;
  params: Record<string, unknown>;
  outcome: AuditOutcome;
}

export type { Server };
