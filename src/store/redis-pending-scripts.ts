import type { ClientContext, Result } from 'ioredis';

/**
 * The Lua scripts for approvals and schedules (see redis-scripts.ts for the rest). Deciding an
 * approval and claiming a schedule are each one atomic step inside Redis: of two replicas clicking
 * or ticking at once, one finds the record as the other left it.
 *
 * An approval is a hash: `record` (its JSON, less decision and message), `expiresAt`, `requester`
 * (the requester's user id), `decision` and `message` (JSON, once set). A schedule is a hash:
 * `record` (its JSON, less what changes), `at`, `state`, `settledAt`, `settledBy`, `outcome`. Scripts
 * read the plain fields and never decode JSON.
 */
export const PENDING_SCRIPTS = {
  /**
   * decideApprovalRule (pending.ts), in Redis. KEYS: approval, open approvals. ARGV: id, at, by,
   * decision JSON. Answers the outcome's kind with the record, decision and message as they stand.
   */
  vpsDecideApproval: {
    numberOfKeys: 2,
    lua: `
local a = redis.call('HMGET', KEYS[1], 'record', 'decision', 'message', 'expiresAt', 'requester')
if not a[1] then return {'unknown'} end
local decision, message = a[2] or '', a[3] or ''
if decision ~= '' then return {'decided', a[1], decision, message} end
if tonumber(ARGV[2]) >= tonumber(a[4]) then return {'expired', a[1], decision, message} end
if a[5] == ARGV[3] then return {'own', a[1], decision, message} end
redis.call('HSET', KEYS[1], 'decision', ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
return {'ok', a[1], ARGV[4], message}
`,
  },
  /** KEYS: approval. ARGV: message JSON. An approval already forgotten is not brought back. */
  vpsNoteApprovalMessage: {
    numberOfKeys: 1,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HSET', KEYS[1], 'message', ARGV[1])
`,
  },
  /**
   * claimScheduleRule (pending.ts), in Redis. KEYS: schedule, pending index, index of `to`. ARGV: id,
   * to, at, by or '', how long a finished schedule is kept (ms). Answers the kind, then the hash.
   */
  vpsClaimSchedule: {
    numberOfKeys: 3,
    lua: `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'unknown'} end
if state ~= 'pending' then return {'taken', unpack(redis.call('HGETALL', KEYS[1]))} end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'settledAt', ARGV[3])
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[1], 'settledBy')
else
  redis.call('HSET', KEYS[1], 'settledBy', ARGV[4])
end
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[2] == 'running' then
  redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'at'), ARGV[1])
else
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return {'ok', unpack(redis.call('HGETALL', KEYS[1]))}
`,
  },
  /**
   * KEYS: schedule, running index, index of `to`. ARGV: id, to, outcome, how long it is kept (ms).
   * 1 when it was running and is finished now, 0 otherwise (left as it is).
   */
  vpsFinishSchedule: {
    numberOfKeys: 3,
    lua: `
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'outcome', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'settledAt') or 0, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`,
  },
} as const;

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    vpsDecideApproval(
      approval: string,
      open: string,
      id: string,
      at: number,
      by: string,
      decision: string,
    ): Result<string[], Context>;
    vpsNoteApprovalMessage(approval: string, message: string): Result<number, Context>;
    vpsClaimSchedule(
      schedule: string,
      pending: string,
      target: string,
      id: string,
      to: string,
      at: number,
      by: string,
      keepMs: number,
    ): Result<string[], Context>;
    vpsFinishSchedule(
      schedule: string,
      running: string,
      target: string,
      id: string,
      to: string,
      outcome: string,
      keepMs: number,
    ): Result<number, Context>;
  }
}
