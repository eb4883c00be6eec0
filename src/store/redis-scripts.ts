import type { ClientContext, Result } from 'ioredis';

/**
 * The Lua scripts of the Redis store. Each runs atomically inside Redis: a claim or a check-and-set is
 * one step, never a read followed by a write another replica could slip between. ioredis sends them
 * by SHA and falls back to the source when Redis has forgotten them (after a restart).
 *
 * Values that a script must read are stored as `<prefix>|<json>`, so no script decodes JSON.
 */

/** Refuses a guarded write whose fencing token is not the lease's current one. KEYS[1] is the lease. */
const FENCE_CHECK = `
if ARGV[1] ~= '' then
  local lease = redis.call('GET', KEYS[1])
  if not lease or string.match(lease, '|(%d+)$') ~= ARGV[1] then
    return redis.error_reply('FENCED')
  end
end
`;

export const SCRIPTS = {
  /** KEYS: confirmation. ARGV: now. 1 used now, 0 already used, -1 gone. */
  vpsRedeem: {
    numberOfKeys: 1,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
return redis.call('HSETNX', KEYS[1], 'usedAt', ARGV[1])
`,
  },
  /** KEYS: tracked hash, claim. ARGV: server id, token, change JSON, ttl ms. */
  vpsClaim: {
    numberOfKeys: 2,
    lua: `
local followed = redis.call('HGET', KEYS[1], ARGV[1])
if followed then return {'tracked', followed} end
local claimed = redis.call('GET', KEYS[2])
if claimed then return {'claimed', claimed} end
redis.call('SET', KEYS[2], ARGV[2] .. '|' .. ARGV[3], 'PX', ARGV[4])
return {'ok'}
`,
  },
  /** KEYS: claim. ARGV: token. */
  vpsRelease: {
    numberOfKeys: 1,
    lua: `
local claimed = redis.call('GET', KEYS[1])
if claimed and string.sub(claimed, 1, #ARGV[1] + 1) == ARGV[1] .. '|' then
  return redis.call('DEL', KEYS[1])
end
return 0
`,
  },
  /** KEYS: lease, tracked hash. ARGV: token or '', server id, change JSON. */
  vpsSaveTracked: {
    numberOfKeys: 2,
    lua: `${FENCE_CHECK}
return redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
`,
  },
  /** KEYS: lease, tracked hash. ARGV: token or '', server id. */
  vpsDeleteTracked: {
    numberOfKeys: 2,
    lua: `${FENCE_CHECK}
return redis.call('HDEL', KEYS[2], ARGV[2])
`,
  },
  /** KEYS: lease, fleet state, own changes. ARGV: token or '', state JSON, own changes seen. */
  vpsSaveFleet: {
    numberOfKeys: 3,
    lua: `${FENCE_CHECK}
redis.call('SET', KEYS[2], ARGV[2])
local seen = tonumber(ARGV[3])
local own = redis.call('HGETALL', KEYS[3])
for i = 1, #own, 2 do
  local seq = tonumber(string.match(own[i + 1], '^(%d+)|'))
  if seq and seq <= seen then redis.call('HDEL', KEYS[3], own[i]) end
end
return 1
`,
  },
  /** KEYS: own changes, their counter. ARGV: server id, JSON. */
  vpsNoteOwn: {
    numberOfKeys: 2,
    lua: `
local seq = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], seq .. '|' .. ARGV[2])
return seq
`,
  },
  /**
   * KEYS: lease, its token counter. ARGV: holder, ttl ms. The fencing token, or nil. Scripts that
   * call TIME are replicated by their effects (Redis 5+), so replicas agree on the token.
   */
  vpsAcquireLease: {
    numberOfKeys: 2,
    lua: `
local lease = redis.call('GET', KEYS[1])
if lease then
  local holder, token = string.match(lease, '^(.*)|(%d+)$')
  if holder == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return tonumber(token)
  end
  return false
end
local token = redis.call('INCR', KEYS[2])
-- Never below Redis's clock in microseconds: a Redis restarted without its data (the counter back
-- to nothing) cannot hand out a token it gave before.
local now = redis.call('TIME')
local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
if token < floor then
  token = floor
  redis.call('SET', KEYS[2], string.format('%d', token))
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. string.format('%d', token), 'PX', ARGV[2])
return token
`,
  },
  /** KEYS: lease. ARGV: holder. */
  vpsReleaseLease: {
    numberOfKeys: 1,
    lua: `
local lease = redis.call('GET', KEYS[1])
if lease and string.match(lease, '^(.*)|%d+$') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
  },
} as const;

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    vpsRedeem(key: string, now: number): Result<number, Context>;
    vpsClaim(
      tracked: string,
      claim: string,
      serverId: number,
      token: string,
      change: string,
      ttlMs: number,
    ): Result<string[], Context>;
    vpsRelease(claim: string, token: string): Result<number, Context>;
    vpsSaveTracked(
      lease: string,
      tracked: string,
      token: string,
      serverId: number,
      change: string,
    ): Result<number, Context>;
    vpsDeleteTracked(
      lease: string,
      tracked: string,
      token: string,
      serverId: number,
    ): Result<number, Context>;
    vpsSaveFleet(
      lease: string,
      fleet: string,
      own: string,
      token: string,
      state: string,
      ownSeen: number,
    ): Result<number, Context>;
    vpsNoteOwn(own: string, counter: string, serverId: number, change: string): Result<number, Context>;
    vpsAcquireLease(
      lease: string,
      counter: string,
      holder: string,
      ttlMs: number,
    ): Result<number | null, Context>;
    vpsReleaseLease(lease: string, holder: string): Result<number, Context>;
  }
}
