import type { z } from 'zod';
import type {
  Approval,
  ApprovalDecision,
  DecideOutcome,
  Schedule,
  ScheduleClaim,
  ScheduleState,
} from '../pending-records.js';
import type { MessageRef } from '../records.js';
import { KEEP_APPROVALS_MS, KEEP_SCHEDULES_MS } from './pending.js';
import { execAll, type RedisConnection } from './redis-connection.js';
import { approvalSchema, scheduleSchema } from './schemas.js';

/** Checks a value read back; a value of the wrong shape is skipped (and logged by the caller's parser). */
export type Decode = <T>(schema: z.ZodType<T>, value: unknown, what: string) => T | undefined;

const STATES = ['pending', 'running', 'done', 'cancelled', 'missed', 'interrupted'] as const;
const FINISHED = ['done', 'cancelled', 'missed', 'interrupted'] as const;

/**
 * Approvals and schedules in Redis, for RedisStore. Memory stays bounded without a scan:
 * - an approval's hash expires KEEP_APPROVALS_MS after the approval does, decided or not; the index
 *   of open ones loses an approval when it is decided, and the long expired ones at each save;
 * - a schedule's hash expires KEEP_SCHEDULES_MS after it is finished (done, cancelled, missed,
 *   interrupted); pending and running ones are kept until then. Each state has an index (by time);
 *   the finished ones lose what is older than KEEP_SCHEDULES_MS at each save.
 */
export class RedisPendingRecords {
  readonly #redis: RedisConnection;
  readonly #decode: Decode;
  readonly #key;

  constructor(redis: RedisConnection, prefix: string, decode: Decode) {
    this.#redis = redis;
    this.#decode = decode;
    this.#key = {
      approval: (id: string) => `${prefix}approval:${id}`,
      openApprovals: `${prefix}approvals:open`,
      schedule: (id: string) => `${prefix}schedule:${id}`,
      schedules: (state: ScheduleState) => `${prefix}schedules:${state}`,
    };
  }

  async saveApproval(approval: Approval): Promise<void> {
    const { decision, message, ...record } = approval;
    const id = this.#key.approval(approval.id);
    const open = this.#key.openApprovals;
    await this.#redis.run('save an approval', (r) => {
      const write = r
        .multi()
        .del(id)
        .hset(id, {
          record: JSON.stringify(record),
          expiresAt: String(approval.expiresAt),
          requester: approval.requester.userId,
          ...(decision ? { decision: JSON.stringify(decision) } : {}),
          ...(message ? { message: JSON.stringify(message) } : {}),
        })
        .pexpire(id, Math.max(1, approval.expiresAt + KEEP_APPROVALS_MS - approval.createdAt))
        .zremrangebyscore(open, '-inf', `(${approval.createdAt - KEEP_APPROVALS_MS}`);
      if (decision) write.zrem(open, approval.id);
      else write.zadd(open, approval.expiresAt, approval.id);
      return execAll(write);
    });
  }

  async getApproval(id: string): Promise<Approval | undefined> {
    const [record, decision, message] = await this.#redis.run('read an approval', (r) =>
      r.hmget(this.#key.approval(id), 'record', 'decision', 'message'),
    );
    return this.#approval(record, decision, message);
  }

  async decideApproval(id: string, decision: ApprovalDecision): Promise<DecideOutcome> {
    const [kind, record, decided, message] = await this.#redis.run('decide an approval', (r) =>
      r.vpsDecideApproval(
        this.#key.approval(id),
        this.#key.openApprovals,
        id,
        decision.at,
        decision.by,
        JSON.stringify(decision),
      ),
    );
    if (kind === 'unknown') return { kind };
    const approval = this.#approval(record, decided, message);
    if (!approval) return { kind: 'unknown' };
    if (kind === 'ok' || kind === 'decided' || kind === 'expired' || kind === 'own') {
      return { kind, approval };
    }
    throw new Error(`unexpected answer from the approval script: ${kind}`);
  }

  async noteApprovalMessage(id: string, message: MessageRef): Promise<void> {
    const json = JSON.stringify({ channel: message.channel, ts: message.ts });
    await this.#redis.run('note where an approval was posted', (r) =>
      r.vpsNoteApprovalMessage(this.#key.approval(id), json),
    );
  }

  async openApprovals(now: number): Promise<Approval[]> {
    const open = this.#key.openApprovals;
    const ids = await this.#redis.run('list open approvals', (r) => r.zrangebyscore(open, `(${now}`, '+inf'));
    if (ids.length === 0) return [];
    const rows = await this.#redis.run('read open approvals', (r) =>
      Promise.all(ids.map((id) => r.hmget(this.#key.approval(id), 'record', 'decision', 'message'))),
    );
    const found: Approval[] = [];
    for (const [record, decision, message] of rows) {
      const approval = this.#approval(record, decision, message);
      if (approval && approval.decision === undefined && now < approval.expiresAt) found.push(approval);
    }
    return found.sort((a, b) => a.createdAt - b.createdAt);
  }

  async saveSchedule(schedule: Schedule): Promise<void> {
    const { state, settledAt, settledBy, outcome, ...record } = schedule;
    const id = this.#key.schedule(schedule.id);
    const finished = (FINISHED as readonly string[]).includes(state);
    await this.#redis.run('save a schedule', (r) => {
      const write = r
        .multi()
        .del(id)
        .hset(id, {
          record: JSON.stringify(record),
          at: String(schedule.at),
          state,
          ...(settledAt === undefined ? {} : { settledAt: String(settledAt) }),
          ...(settledBy === undefined ? {} : { settledBy }),
          ...(outcome === undefined ? {} : { outcome }),
        });
      for (const other of STATES) write.zrem(this.#key.schedules(other), schedule.id);
      write.zadd(
        this.#key.schedules(state),
        finished ? (settledAt ?? schedule.at) : schedule.at,
        schedule.id,
      );
      if (finished) write.pexpire(id, KEEP_SCHEDULES_MS);
      for (const done of FINISHED) {
        write.zremrangebyscore(
          this.#key.schedules(done),
          '-inf',
          `(${schedule.createdAt - KEEP_SCHEDULES_MS}`,
        );
      }
      return execAll(write);
    });
  }

  async getSchedule(id: string): Promise<Schedule | undefined> {
    const fields = await this.#redis.run('read a schedule', (r) => r.hgetall(this.#key.schedule(id)));
    return this.#schedule(fields);
  }

  async schedulesIn(states: readonly ScheduleState[]): Promise<Schedule[]> {
    const ids = await this.#redis.run('list schedules', (r) =>
      Promise.all(states.map((state) => r.zrange(this.#key.schedules(state), '0', '-1'))),
    );
    const all = ids.flat();
    if (all.length === 0) return [];
    const rows = await this.#redis.run('read schedules', (r) =>
      Promise.all(all.map((id) => r.hgetall(this.#key.schedule(id)))),
    );
    const found: Schedule[] = [];
    for (const fields of rows) {
      const schedule = this.#schedule(fields);
      // An index may still name a schedule whose hash has expired, or that moved on since the read.
      if (schedule && states.includes(schedule.state)) found.push(schedule);
    }
    return found.sort((a, b) => a.at - b.at || a.createdAt - b.createdAt);
  }

  async claimSchedule(
    id: string,
    to: Extract<ScheduleState, 'running' | 'cancelled' | 'missed'>,
    at: number,
    by?: string,
  ): Promise<ScheduleClaim> {
    const [kind, ...flat] = await this.#redis.run('claim a schedule', (r) =>
      r.vpsClaimSchedule(
        this.#key.schedule(id),
        this.#key.schedules('pending'),
        this.#key.schedules(to),
        id,
        to,
        at,
        by ?? '',
        KEEP_SCHEDULES_MS,
      ),
    );
    if (kind === 'unknown') return { kind };
    const schedule = this.#schedule(pairs(flat));
    if (!schedule) return { kind: 'unknown' };
    if (kind === 'ok' || kind === 'taken') return { kind, schedule };
    throw new Error(`unexpected answer from the schedule script: ${kind}`);
  }

  async finishSchedule(
    id: string,
    to: Extract<ScheduleState, 'done' | 'interrupted'>,
    outcome: string,
  ): Promise<void> {
    await this.#redis.run('finish a schedule', (r) =>
      r.vpsFinishSchedule(
        this.#key.schedule(id),
        this.#key.schedules('running'),
        this.#key.schedules(to),
        id,
        to,
        outcome,
        KEEP_SCHEDULES_MS,
      ),
    );
  }

  #approval(
    record: string | null | undefined,
    decision: string | null | undefined,
    message: string | null | undefined,
  ): Approval | undefined {
    if (!record) return undefined;
    return this.#decode(
      approvalSchema,
      {
        ...(json(record) as object | undefined),
        ...(decision ? { decision: json(decision) } : {}),
        ...(message ? { message: json(message) } : {}),
      },
      'approval',
    );
  }

  #schedule(fields: Record<string, string>): Schedule | undefined {
    if (!fields.record) return undefined;
    return this.#decode(
      scheduleSchema,
      {
        ...(json(fields.record) as object | undefined),
        state: fields.state,
        ...(fields.settledAt === undefined ? {} : { settledAt: Number(fields.settledAt) }),
        ...(fields.settledBy === undefined ? {} : { settledBy: fields.settledBy }),
        ...(fields.outcome === undefined ? {} : { outcome: fields.outcome }),
      },
      'schedule',
    );
  }
}

/** HGETALL's flat answer from a script, as a record. */
function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
