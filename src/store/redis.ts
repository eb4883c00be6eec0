import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Logger } from '../log.js';
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
import { RECENT_AUDIT } from './pending.js';
import { execAll, RedisConnection } from './redis-connection.js';
import { RedisPendingRecords } from './redis-pending.js';
import {
  auditEntrySchema,
  confirmationSchema,
  fleetStateSchema,
  ownChangeSchema,
  subscriptionSchema,
  trackedChangeSchema,
} from './schemas.js';
import {
  AUDIT_PER_SERVER,
  type ChangeClaim,
  decideRedeem,
  emptyFleetState,
  type Fence,
  KEEP_DECIDED_MS,
  type StateStore,
} from './store.js';

/** The whole audit trail kept, newest first; older entries are dropped. */
export const AUDIT_OVERALL = 10_000;
/** A server's trail is dropped this long after its last entry (a server long deleted). */
const AUDIT_IDLE_MS = 90 * 24 * 3_600_000;

/** Every key the bot writes starts with this; one Redis database (the URL's /db) per bot group. */
export const KEY_PREFIX = 'vps-bot:';

const key = {
  confirmation: (id: string) => `${KEY_PREFIX}confirmation:${id}`,
  tracked: `${KEY_PREFIX}tracked`,
  claim: (serverId: number) => `${KEY_PREFIX}claim:${serverId}`,
  subscriptions: `${KEY_PREFIX}subscriptions`,
  fleet: `${KEY_PREFIX}fleet`,
  own: `${KEY_PREFIX}own-changes`,
  ownSeq: `${KEY_PREFIX}own-changes:seq`,
  auditServer: (id: number) => `${KEY_PREFIX}audit:server:${id}`,
  auditName: (name: string) => `${KEY_PREFIX}audit:name:${name}`,
  auditAll: `${KEY_PREFIX}audit:all`,
  delivery: (id: string) => `${KEY_PREFIX}delivery:${id}`,
  lease: (name: string) => `${KEY_PREFIX}lease:${name}`,
  leaseToken: (name: string) => `${KEY_PREFIX}lease:${name}:token`,
};

/**
 * State shared by several replicas, in Redis. Every check-and-set is one atomic step inside Redis (a
 * command such as SET NX, or a Lua script): redeeming a confirmation, claiming a server for a change,
 * taking the lease, and each write the lease guards. Everything that expires goes by Redis's own TTLs.
 */
export class RedisStore implements StateStore {
  readonly #redis: RedisConnection;
  readonly #logger: Logger;
  readonly #pending: RedisPendingRecords;

  private constructor(redis: RedisConnection, logger: Logger) {
    this.#logger = logger;
    this.#redis = redis;
    this.#pending = new RedisPendingRecords(redis, KEY_PREFIX, (schema, value, what) =>
      this.#parseValue(schema, value, what),
    );
  }

  /**
   * Connects, waiting at most `waitMs` for Redis: a bot started while Redis is down starts all the
   * same, reports unhealthy, and recovers once Redis is back.
   */
  static async open(url: string, logger: Logger, waitMs = 2000): Promise<RedisStore> {
    const log = logger.child({ component: 'store' });
    const store = new RedisStore(await RedisConnection.open(url, log), log);
    if (!(await store.#redis.waitUntilReady(waitMs))) {
      store.#logger.error('the state store (Redis) is unreachable; starting anyway and reconnecting');
    }
    return store;
  }

  get healthy(): boolean {
    return this.#redis.ready;
  }

  async saveConfirmation(confirmation: Confirmation): Promise<void> {
    const { usedAt, ...record } = confirmation;
    const ttl = Math.max(1, confirmation.expiresAt + KEEP_DECIDED_MS - confirmation.createdAt);
    const id = key.confirmation(confirmation.id);
    await this.#redis.run('save a confirmation', (r) => {
      const write = r.multi().hset(id, 'record', JSON.stringify(record));
      if (usedAt !== undefined) write.hset(id, 'usedAt', usedAt);
      return execAll(write.pexpire(id, ttl));
    });
  }

  async redeemConfirmation(id: string, userId: string, now: number): Promise<RedeemOutcome> {
    const outcome = decideRedeem(await this.getConfirmation(id), userId, now);
    if (outcome.kind !== 'ok') return outcome;
    // Who may redeem and until when never changes; only `usedAt` does, and it is claimed atomically.
    const claimed = await this.#redis.run('redeem a confirmation', (r) =>
      r.vpsRedeem(key.confirmation(id), now),
    );
    if (claimed === 1) return outcome;
    const current = await this.getConfirmation(id);
    return current ? { kind: 'used', confirmation: current } : { kind: 'unknown' };
  }

  async getConfirmation(id: string): Promise<Confirmation | undefined> {
    const [record, usedAt] = await this.#redis.run('read a confirmation', (r) =>
      r.hmget(key.confirmation(id), 'record', 'usedAt'),
    );
    const confirmation = this.#parse(confirmationSchema, record, 'confirmation');
    if (!confirmation) return undefined;
    return usedAt === null || usedAt === undefined
      ? confirmation
      : { ...confirmation, usedAt: Number(usedAt) };
  }

  async saveTracked(change: TrackedChange, fence?: Fence): Promise<void> {
    await this.#redis.run(
      'save a followed server',
      (r) =>
        r.vpsSaveTracked(
          key.lease(fence?.lease ?? 'none'),
          key.tracked,
          fence ? String(fence.token) : '',
          change.serverId,
          JSON.stringify(change),
        ),
      fence?.lease,
    );
  }

  async deleteTracked(serverId: number, fence?: Fence): Promise<void> {
    await this.#redis.run(
      'drop a followed server',
      (r) =>
        r.vpsDeleteTracked(
          key.lease(fence?.lease ?? 'none'),
          key.tracked,
          fence ? String(fence.token) : '',
          serverId,
        ),
      fence?.lease,
    );
  }

  async trackedChanges(): Promise<TrackedChange[]> {
    const all = await this.#redis.run('read followed servers', (r) => r.hgetall(key.tracked));
    return this.#parseAll(trackedChangeSchema, Object.values(all), 'followed server');
  }

  async claimChange(change: TrackedChange, _now: number, ttlMs: number): Promise<ChangeClaim> {
    const token = randomBytes(9).toString('base64url');
    const [kind, value] = await this.#redis.run('claim a server', (r) =>
      r.vpsClaim(
        key.tracked,
        key.claim(change.serverId),
        change.serverId,
        token,
        JSON.stringify(change),
        Math.max(1, Math.round(ttlMs)),
      ),
    );
    if (kind === 'ok') return { kind: 'claimed', token };
    const json = kind === 'claimed' ? afterBar(value) : value;
    // A claim that cannot be read still stands: busy, as the claimed change says or as asked.
    return { kind: 'busy', change: this.#parse(trackedChangeSchema, json, 'claim') ?? change };
  }

  async releaseChange(serverId: number, token: string): Promise<void> {
    await this.#redis.run('release a server', (r) => r.vpsRelease(key.claim(serverId), token));
  }

  async changeUnderWay(serverId: number, _now: number): Promise<TrackedChange | undefined> {
    const [claimed, followed] = await this.#redis.run('read a change under way', (r) =>
      Promise.all([r.get(key.claim(serverId)), r.hget(key.tracked, String(serverId))]),
    );
    if (claimed) return this.#parse(trackedChangeSchema, afterBar(claimed), 'claim');
    return this.#parse(trackedChangeSchema, followed, 'followed server');
  }

  async addSubscription(subscription: Subscription): Promise<boolean> {
    const added = await this.#redis.run('subscribe', (r) =>
      r.hsetnx(
        key.subscriptions,
        subscriptionField(subscription.channelId, subscription.serverId),
        JSON.stringify(subscription),
      ),
    );
    return added === 1;
  }

  async removeSubscription(channelId: string, serverId: number | 'all'): Promise<boolean> {
    const removed = await this.#redis.run('unsubscribe', (r) =>
      r.hdel(key.subscriptions, subscriptionField(channelId, serverId)),
    );
    return removed === 1;
  }

  async subscriptions(): Promise<Subscription[]> {
    const all = await this.#redis.run('read subscriptions', (r) => r.hgetall(key.subscriptions));
    return this.#parseAll(subscriptionSchema, Object.values(all), 'subscription').sort(
      (a, b) => a.at.localeCompare(b.at) || a.channelId.localeCompare(b.channelId),
    );
  }

  async fleetState(): Promise<FleetState> {
    const json = await this.#redis.run('read the fleet state', (r) => r.get(key.fleet));
    return this.#parse(fleetStateSchema, json, 'fleet state') ?? emptyFleetState();
  }

  async saveFleetState(state: FleetState, fence?: Fence): Promise<void> {
    await this.#redis.run(
      'save the fleet state',
      (r) =>
        r.vpsSaveFleet(
          key.lease(fence?.lease ?? 'none'),
          key.fleet,
          key.own,
          fence ? String(fence.token) : '',
          JSON.stringify(state),
          state.ownSeen ?? 0,
        ),
      fence?.lease,
    );
  }

  async noteOwnChange(serverId: number, server: { name: string; status: string } | undefined): Promise<void> {
    const change = { serverId, ...(server ? { server: { name: server.name, status: server.status } } : {}) };
    await this.#redis.run('note an own change', (r) =>
      r.vpsNoteOwn(key.own, key.ownSeq, serverId, JSON.stringify(change)),
    );
  }

  async ownChanges(): Promise<OwnChange[]> {
    const all = await this.#redis.run('read own changes', (r) => r.hgetall(key.own));
    const changes: OwnChange[] = [];
    for (const value of Object.values(all)) {
      const bar = value.indexOf('|');
      const parsed = this.#parseValue(
        ownChangeSchema,
        { ...(safeJson(value.slice(bar + 1)) as object | undefined), seq: Number(value.slice(0, bar)) },
        'own change',
      );
      if (parsed) changes.push(parsed);
    }
    return changes;
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const line = JSON.stringify(entry);
    await this.#redis.run('append to the audit trail', (r) => {
      const write = r
        .multi()
        .lpush(key.auditAll, line)
        .ltrim(key.auditAll, 0, AUDIT_OVERALL - 1);
      const trail =
        entry.serverId !== undefined
          ? key.auditServer(entry.serverId)
          : entry.serverName !== undefined
            ? key.auditName(entry.serverName)
            : undefined;
      if (trail)
        write
          .lpush(trail, line)
          .ltrim(trail, 0, AUDIT_PER_SERVER - 1)
          .pexpire(trail, AUDIT_IDLE_MS);
      return execAll(write);
    });
  }

  async auditTrail(server: { id: number; name?: string | undefined }, limit: number): Promise<AuditEntry[]> {
    const count = Math.min(limit, AUDIT_PER_SERVER);
    const [byId, byName] = await this.#redis.run('read the audit trail', (r) =>
      Promise.all([
        r.lrange(key.auditServer(server.id), 0, count - 1),
        server.name === undefined ? Promise.resolve([]) : r.lrange(key.auditName(server.name), 0, count - 1),
      ]),
    );
    const entries = this.#parseAll(auditEntrySchema, [...byId, ...byName], 'audit entry');
    return entries.sort((a, b) => b.time.localeCompare(a.time)).slice(0, limit);
  }

  async recentAudit(limit: number): Promise<AuditEntry[]> {
    const count = Math.min(limit, RECENT_AUDIT);
    if (count <= 0) return [];
    const lines = await this.#redis.run('read the recent audit entries', (r) =>
      r.lrange(key.auditAll, 0, count - 1),
    );
    return this.#parseAll(auditEntrySchema, lines, 'audit entry');
  }

  // Approvals and schedules: redis-pending.ts.

  saveApproval(approval: Approval): Promise<void> {
    return this.#pending.saveApproval(approval);
  }

  getApproval(id: string): Promise<Approval | undefined> {
    return this.#pending.getApproval(id);
  }

  decideApproval(id: string, decision: ApprovalDecision): Promise<DecideOutcome> {
    return this.#pending.decideApproval(id, decision);
  }

  noteApprovalMessage(id: string, message: MessageRef): Promise<void> {
    return this.#pending.noteApprovalMessage(id, message);
  }

  openApprovals(now: number): Promise<Approval[]> {
    return this.#pending.openApprovals(now);
  }

  saveSchedule(schedule: Schedule): Promise<void> {
    return this.#pending.saveSchedule(schedule);
  }

  getSchedule(id: string): Promise<Schedule | undefined> {
    return this.#pending.getSchedule(id);
  }

  schedulesIn(states: readonly ScheduleState[]): Promise<Schedule[]> {
    return this.#pending.schedulesIn(states);
  }

  claimSchedule(
    id: string,
    to: Extract<ScheduleState, 'running' | 'cancelled' | 'missed'>,
    at: number,
    by?: string,
  ): Promise<ScheduleClaim> {
    return this.#pending.claimSchedule(id, to, at, by);
  }

  finishSchedule(
    id: string,
    to: Extract<ScheduleState, 'done' | 'interrupted'>,
    outcome: string,
  ): Promise<void> {
    return this.#pending.finishSchedule(id, to, outcome);
  }

  async firstDelivery(id: string, _now: number, ttlMs: number): Promise<boolean> {
    const set = await this.#redis.run('note a delivery', (r) =>
      r.set(key.delivery(id), '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX'),
    );
    return set === 'OK';
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<number | undefined> {
    const token = await this.#redis.run('take the lease', (r) =>
      r.vpsAcquireLease(key.lease(name), key.leaseToken(name), holder, Math.max(1, Math.round(ttlMs))),
    );
    return token ?? undefined;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.#redis.run('give the lease up', (r) => r.vpsReleaseLease(key.lease(name), holder));
  }

  /** True when no key of the bot is in this Redis database: where `import-state` may write. */
  async isEmpty(): Promise<boolean> {
    const [, keys] = await this.#redis.run('look for state', (r) =>
      r.scan('0', 'MATCH', `${KEY_PREFIX}*`, 'COUNT', 1000),
    );
    return keys.length === 0;
  }

  async close(): Promise<void> {
    await this.#redis.close();
  }

  #parse<T>(schema: z.ZodType<T>, json: string | null | undefined, what: string): T | undefined {
    if (json === null || json === undefined) return undefined;
    return this.#parseValue(schema, safeJson(json), what);
  }

  #parseValue<T>(schema: z.ZodType<T>, value: unknown, what: string): T | undefined {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.#logger.warn({ what }, 'skipped a value of the wrong shape in the state store');
    return undefined;
  }

  #parseAll<T>(schema: z.ZodType<T>, values: string[], what: string): T[] {
    const out: T[] = [];
    for (const value of values) {
      const parsed = this.#parse(schema, value, what);
      if (parsed !== undefined) out.push(parsed);
    }
    return out;
  }
}

function subscriptionField(channelId: string, serverId: number | 'all'): string {
  return `${channelId}|${serverId}`;
}

function afterBar(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.slice(value.indexOf('|') + 1);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
