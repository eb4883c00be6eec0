import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { AUDIT_OVERALL, KEY_PREFIX, RedisStore } from '../../src/store/redis.js';
import { KEEP_DECIDED_MS } from '../../src/store/store.js';
import { RedisServer } from '../redis/server.js';
import { collectLogger } from '../unit/helpers.js';
import { auditEntry, confirmation, tracked } from './contract.js';

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
