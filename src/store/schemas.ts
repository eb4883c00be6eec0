import { z } from 'zod';
import type { Approval, Schedule, Timing } from '../pending-records.js';
import type {
  AuditEntry,
  Confirmation,
  FleetState,
  OwnChange,
  Subscription,
  TrackedChange,
} from '../records.js';
import type { StoredState } from './memory.js';

/**
 * What a store reads back, checked: a file of the wrong shape is set aside, a Redis value of the wrong
 * shape is skipped; neither is trusted.
 */

const actor = z.object({
  userId: z.string(),
  teamId: z.string().optional(),
  channelId: z.string().optional(),
  replyUrl: z.string().optional(),
});

const id = z.number().int().positive();

const changeRequest = z.union([
  z.object({ action: z.enum(['start', 'stop', 'reboot', 'delete']), serverId: id }),
  z.object({ action: z.literal('rename'), serverId: id, name: z.string() }),
  z.object({ action: z.literal('hostname'), serverId: id, hostname: z.string() }),
  z.object({ action: z.literal('backups'), serverId: id, enabled: z.boolean() }),
  z.object({
    action: z.literal('edit'),
    serverId: id,
    values: z.object({ name: z.string(), hostname: z.string(), backups_enabled: z.boolean() }),
  }),
  z.object({
    action: z.literal('create'),
    input: z.object({
      name: z.string(),
      plan_id: id,
      os_id: id,
      location: z.string(),
      hostname: z.string().optional(),
      ssh_key_id: id.optional(),
      backups_enabled: z.boolean().optional(),
    }),
  }),
]);

const timing = z.union([
  z.object({ kind: z.literal('at'), at: z.number(), zone: z.string() }),
  z.object({ kind: z.literal('for'), durationMs: z.number().positive(), zone: z.string() }),
]) satisfies z.ZodType<Timing>;

const serverSeen = z.object({ id, name: z.string(), status: z.string(), updatedAt: z.string() });

export const confirmationSchema = z.object({
  id: z.string(),
  userId: z.string(),
  request: changeRequest,
  server: serverSeen.optional(),
  actor,
  createdAt: z.number(),
  expiresAt: z.number(),
  usedAt: z.number().optional(),
  timing: timing.optional(),
}) satisfies z.ZodType<Confirmation>;

const action = z.enum([
  'start',
  'stop',
  'reboot',
  'delete',
  'rename',
  'hostname',
  'backups',
  'edit',
  'create',
]);

export const trackedChangeSchema = z.object({
  serverId: id,
  serverName: z.string(),
  action,
  actor,
  startedAt: z.number(),
  status: z.string(),
  card: z.unknown().optional(),
}) satisfies z.ZodType<TrackedChange>;

export const subscriptionSchema = z.object({
  channelId: z.string(),
  serverId: z.union([id, z.literal('all')]),
  serverName: z.string().optional(),
  by: z.string(),
  at: z.string(),
}) satisfies z.ZodType<Subscription>;

export const ownChangeSchema = z.object({
  serverId: id,
  seq: z.number(),
  server: z.object({ name: z.string(), status: z.string() }).optional(),
}) satisfies z.ZodType<OwnChange>;

const messageRef = z.object({ channel: z.string(), ts: z.string() });

export const approvalSchema = z.object({
  id: z.string(),
  request: changeRequest,
  requester: actor,
  server: serverSeen.optional(),
  timing: timing.optional(),
  createdAt: z.number(),
  expiresAt: z.number(),
  message: messageRef.optional(),
  decision: z
    .object({ verdict: z.enum(['approved', 'rejected']), by: z.string(), at: z.number() })
    .optional(),
}) satisfies z.ZodType<Approval>;

export const scheduleSchema = z.object({
  id: z.string(),
  action: z.enum(['start', 'stop', 'reboot']),
  serverId: id,
  serverName: z.string(),
  at: z.number(),
  zone: z.string(),
  by: actor,
  approvedBy: z.string().optional(),
  restart: z.boolean().optional(),
  createdAt: z.number(),
  state: z.enum(['pending', 'running', 'done', 'cancelled', 'missed', 'interrupted']),
  settledAt: z.number().optional(),
  settledBy: z.string().optional(),
  outcome: z.string().optional(),
}) satisfies z.ZodType<Schedule>;

export const storedStateSchema = z.object({
  version: z.literal(1),
  confirmations: z.record(z.string(), confirmationSchema),
  tracked: z.record(z.string(), trackedChangeSchema),
  subscriptions: z.array(subscriptionSchema),
  ownChanges: z.record(z.string(), ownChangeSchema).optional(),
  ownSeq: z.number().optional(),
  approvals: z.record(z.string(), approvalSchema).optional(),
  schedules: z.record(z.string(), scheduleSchema).optional(),
}) satisfies z.ZodType<StoredState>;
const entry = z.object({ name: z.string(), status: z.string() });

const notice = z.union([
  z.object({
    kind: z.enum(['appeared', 'disappeared']),
    serverId: id,
    name: z.string(),
    status: z.string(),
    at: z.number(),
  }),
  z.object({
    kind: z.literal('status'),
    serverId: id,
    name: z.string(),
    from: z.string(),
    to: z.string(),
    at: z.number(),
  }),
  z.object({
    kind: z.literal('flapping'),
    serverId: id,
    name: z.string(),
    status: z.string(),
    changes: z.number(),
    since: z.number(),
    at: z.number(),
    steady: z.boolean(),
  }),
]);

export const fleetStateSchema = z.object({
  snapshot: z.record(z.string(), entry).optional(),
  recent: z.record(z.string(), z.array(z.object({ at: z.number(), from: z.string(), to: z.string() }))),
  summaries: z.record(
    z.string(),
    z.object({ since: z.number(), changes: z.number(), refs: z.array(messageRef) }),
  ),
  outbox: z.array(z.object({ id: z.string(), channel: z.string(), notice, ref: messageRef.optional() })),
  ownSeen: z.number().optional(),
}) satisfies z.ZodType<FleetState>;

export const auditEntrySchema = z.object({
  time: z.string(),
  user: z.string(),
  team: z.string().optional(),
  channel: z.string().optional(),
  action: z.union([action, z.enum(['subscribe', 'unsubscribe'])]),
  serverId: id.optional(),
  serverName: z.string().optional(),
  params: z.record(z.string(), z.unknown()),
  outcome: z.string(),
  approvedBy: z.string().optional(),
  scheduledFor: z.string().optional(),
}) satisfies z.ZodType<AuditEntry>;
