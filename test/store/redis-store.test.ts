import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { KEEP_APPROVALS_MS, KEEP_SCHEDULES_MS } from '../../src/store/pending.js';
import { AUDIT_OVERALL, KEY_PREFIX, RedisStore } from '../../src/store/redis.js';
import { KEEP_DECIDED_MS } from '../../src/store/store.js';
import { RedisServer } from '../redis/server.js';
import { collectLogger } from '../unit/helpers.js';
import { approval, auditEntry, confirmation, schedule, T0, tracked } from './contract.js';

let server: RedisServer;
let admin: Redis;
beforeAll(async () => {
  server = await RedisServer.start({ persistent: true });
  admin = new Redis(server.url(), { lazyConnect: true, enableOfflineQueue: false });
});
afterAll(async () => {
  admin?.disconnect();
  await server?.close();
});

describe('RedisStore: what only Redis needs', () => {
  let store: RedisStore;
  let log: ReturnType<typeof collectLogger>;
  beforeEach(async () => {
    await server.start();
    if (admin.status !== 'ready') await admin.connect();
    await admin.flushall();
    log = collectLogger();
    store = await RedisStore.open(server.url(), log.logger);
  });
  afterEach(() => store.close());

  it('keeps nothing without bound: confirmations, delivery ids, claims and the lease expire; trails are capped', async () => {
    const now = Date.now();
    await store.saveConfirmation(confirmation('c1', now));
    await store.firstDelivery('t1', now, 30 * 60_000);
    await store.claimChange(tracked(1), now, 120_000);
    await store.acquireLease('leader', 'me', 15_000);
    await store.appendAudit(auditEntry(1));
    await store.appendAudit(auditEntry(2, { serverId: undefined, serverName: 'typo' }));
    const ttl = (key: string) => admin.pttl(`${KEY_PREFIX}${key}`);
    expect(await ttl('confirmation:c1')).toBeGreaterThan(600_000 + KEEP_DECIDED_MS - 5_000);
    expect(await ttl('confirmation:c1')).toBeLessThanOrEqual(600_000 + KEEP_DECIDED_MS);
    expect(await ttl('delivery:t1')).toBeGreaterThan(29 * 60_000);
    expect(await ttl('claim:1')).toBeGreaterThan(100_000);
    expect(await ttl('lease:leader')).toBeGreaterThan(10_000);
    expect(await ttl('audit:server:12345')).toBeGreaterThan(89 * 24 * 3_600_000);
    expect(await ttl('audit:name:typo')).toBeGreaterThan(89 * 24 * 3_600_000);
    // What has no TTL is bounded otherwise: the overall trail by its cap, the rest by the fleet's size.
    const keys = (await admin.keys(`${KEY_PREFIX}*`)).sort();
    const unbounded: string[] = [];
    for (const key of keys) if ((await admin.pttl(key)) < 0) unbounded.push(key.slice(KEY_PREFIX.length));
    expect(unbounded).toEqual(['audit:all', 'lease:leader:token']);
    expect(AUDIT_OVERALL).toBe(10_000);
  });

  it('keeps approvals and schedules bounded: TTLs once decided, expired or finished; indexes pruned at each save', async () => {
    const ttl = (key: string) => admin.pttl(`${KEY_PREFIX}${key}`);
    const member = (index: string, id: string) => admin.zscore(`${KEY_PREFIX}${index}`, id);
    // An approval, decided or not, is forgotten KEEP_APPROVALS_MS after it expires.
    await store.saveApproval(approval('open'));
    await store.saveApproval(approval('decided'));
    await store.decideApproval('decided', { verdict: 'approved', by: 'U0BOB', at: T0 + 1 });
    for (const id of ['open', 'decided']) {
      expect(await ttl(`approval:${id}`)).toBeGreaterThan(1_800_000 + KEEP_APPROVALS_MS - 5_000);
      expect(await ttl(`approval:${id}`)).toBeLessThanOrEqual(1_800_000 + KEEP_APPROVALS_MS);
    }
    expect(await member('approvals:open', 'open')).not.toBeNull();
    expect(await member('approvals:open', 'decided')).toBeNull();
    // A pending or running schedule stays until it is done; a finished one is kept a week.
    await store.saveSchedule(schedule('waiting', T0 + 60_000));
    await store.saveSchedule(schedule('ran', T0 + 1_000));
    await store.claimSchedule('ran', 'running', T0 + 1_000);
    expect(await ttl('schedule:ran')).toBe(-1);
    await store.finishSchedule('ran', 'done', 'ok');
    await store.saveSchedule(schedule('dropped', T0 + 2_000));
    await store.claimSchedule('dropped', 'cancelled', T0 + 1_500, 'U0BOB');
    expect(await ttl('schedule:waiting')).toBe(-1);
    for (const id of ['ran', 'dropped']) {
      expect(await ttl(`schedule:${id}`)).toBeGreaterThan(KEEP_SCHEDULES_MS - 5_000);
    }
    // A save long after prunes what has expired from the indexes (their hashes are gone by TTL).
    const later = T0 + KEEP_SCHEDULES_MS + KEEP_APPROVALS_MS + 3_600_000;
    await store.saveApproval(approval('later', { createdAt: later, expiresAt: later + 1_800_000 }));
    await store.saveSchedule(schedule('later', later + 60_000, { createdAt: later }));
    expect(await member('approvals:open', 'open')).toBeNull();
    expect(await member('schedules:done', 'ran')).toBeNull();
    expect(await member('schedules:cancelled', 'dropped')).toBeNull();
    expect(await member('schedules:pending', 'waiting')).not.toBeNull();
    // Without a TTL: what still waits, and the indexes, bounded by the pruning above (an empty one is gone).
    const keys = (await admin.keys(`${KEY_PREFIX}*`)).sort();
    const unbounded: string[] = [];
    for (const key of keys) if ((await admin.pttl(key)) < 0) unbounded.push(key.slice(KEY_PREFIX.length));
    expect(unbounded).toEqual(['approvals:open', 'schedule:later', 'schedule:waiting', 'schedules:pending']);
  });

  it('hands out a higher fencing token even after Redis has lost its data', async () => {
    const before = await store.acquireLease('leader', 'old-holder', 60_000);
    await admin.flushall();
    const after = await store.acquireLease('leader', 'new-holder', 60_000);
    expect(after).toBeGreaterThan(before ?? Number.POSITIVE_INFINITY);
    expect(await store.acquireLease('leader', 'new-holder', 60_000)).toBe(after);
  });

  it('caps the overall audit trail', async () => {
    // The cap is applied on every append: fill the list just past it directly, then append one.
    const filler = Array.from({ length: AUDIT_OVERALL + 5 }, (_, i) => JSON.stringify(auditEntry(i)));
    await admin.lpush(`${KEY_PREFIX}audit:all`, ...filler);
    await store.appendAudit(auditEntry(99_999));
    expect(await admin.llen(`${KEY_PREFIX}audit:all`)).toBe(AUDIT_OVERALL);
    expect(JSON.parse((await admin.lindex(`${KEY_PREFIX}audit:all`, 0)) ?? '{}').params).toEqual({
      i: 99_999,
    });
  });

  it('a Redis that stops answering (SIGSTOP) fails commands within the command timeout and counts as unhealthy until it answers again', async () => {
    server.pause();
    try {
      const failed = await store.firstDelivery('frozen', Date.now(), 1000).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(StoreUnavailableError);
      expect(String(failed)).toMatch(/timed out/i);
      expect(store.healthy).toBe(false);
    } finally {
      server.resume();
    }
    expect(await store.firstDelivery('thawed', Date.now(), 1000)).toBe(true);
    expect(store.healthy).toBe(true);
  });

  it('fails at once while Redis is down, reports unhealthy, reconnects by itself, and keeps its data', async () => {
    const now = Date.now();
    await store.saveConfirmation(confirmation('kept', now));
    await server.stop();
    await vi.waitFor(() => expect(store.healthy).toBe(false), { timeout: 5000, interval: 5 });
    const failures = await Promise.allSettled([
      store.redeemConfirmation('kept', 'U0ALICE', now + 1),
      store.claimChange(tracked(5), now, 1000),
      store.firstDelivery('t', now, 1000),
      store.acquireLease('leader', 'me', 1000),
    ]);
    // Refused at once, while Redis is still down: nothing queues for it, nothing waits for a timeout.
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      if (failure.status !== 'rejected') continue;
      expect(failure.reason).toBeInstanceOf(StoreUnavailableError);
      expect(String(failure.reason)).not.toMatch(/timed out/i);
    }
    expect(
      log
        .records()
        .filter(
          (r) => r.msg === 'lost the state store (Redis); reconnecting, and refusing changes meanwhile',
        ),
    ).toHaveLength(1);

    await server.start();
    await vi.waitFor(() => expect(store.healthy).toBe(true), { timeout: 10_000, interval: 10 });
    expect((await store.redeemConfirmation('kept', 'U0ALICE', now + 2)).kind).toBe('ok');
    expect((await store.redeemConfirmation('kept', 'U0ALICE', now + 3)).kind).toBe('used');
  });
});
