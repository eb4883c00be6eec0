import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { FileStore } from '../../src/store/file.js';
import { RedisStore } from '../../src/store/redis.js';
import { RedisServer } from '../redis/server.js';
import { approval, auditEntry, confirmation, fleetState, schedule, tracked } from './contract.js';

const ROOT = resolve(import.meta.dirname, '../..');
const logger = createLogger({ level: 'error', secrets: [] });
let redis: RedisServer;
let dir: string;

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis?.close());
beforeEach(async () => {
  const admin = new Redis(redis.url());
  await admin.flushall();
  await admin.quit();
  dir = mkdtempSync(join(tmpdir(), 'vps-bot-import-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

/** A STATE_DIR with something of everything, as a bot leaves it. */
async function fillStateDir(): Promise<void> {
  const store = await FileStore.open(dir, logger);
  const now = Date.now();
  await store.saveConfirmation(confirmation('pending', now));
  await store.saveConfirmation(confirmation('used', now));
  await store.redeemConfirmation('used', 'U0ALICE', now + 1);
  await store.saveConfirmation(confirmation('ancient', now - 48 * 3_600_000));
  await store.saveTracked(tracked(12345, { action: 'create', status: 'provisioning' }));
  await store.addSubscription({
    channelId: 'C0OPS',
    serverId: 'all',
    by: 'U0ALICE',
    at: '2026-01-01T00:00:00Z',
  });
  await store.addSubscription({
    channelId: 'C0DB',
    serverId: 12346,
    serverName: 'db-server-01',
    by: 'U0BOB',
    at: '2026-01-01T00:00:01Z',
  });
  await store.saveFleetState(fleetState());
  await store.noteOwnChange(12345, { name: 'web-server-01', status: 'provisioning' });
  await store.saveApproval(
    approval('open', {
      createdAt: now,
      expiresAt: now + 1_800_000,
      timing: { kind: 'at', at: now + 3_600_000, zone: 'UTC' },
    }),
  );
  await store.saveApproval(approval('decided', { createdAt: now, expiresAt: now + 1_800_000 }));
  await store.decideApproval('decided', { verdict: 'rejected', by: 'U0BOB', at: now + 1 });
  await store.saveApproval(
    approval('ancient', { createdAt: now - 48 * 3_600_000, expiresAt: now - 47 * 3_600_000 }),
  );
  await store.saveSchedule(schedule('waiting', now + 60_000, { createdAt: now }));
  await store.saveSchedule(schedule('running', now - 1_000, { createdAt: now }));
  await store.claimSchedule('running', 'running', now);
  await store.saveSchedule(
    schedule('done', now - 60_000, { createdAt: now, state: 'done', settledAt: now - 59_000 }),
  );
  await store.saveSchedule(
    schedule('long-done', now - 30 * 24 * 3_600_000, {
      createdAt: now - 31 * 24 * 3_600_000,
      state: 'done',
      settledAt: now - 30 * 24 * 3_600_000,
    }),
  );
  for (let i = 0; i < 25; i++) await store.appendAudit(auditEntry(i));
  await store.appendAudit(
    auditEntry(25, { serverId: undefined, serverName: 'typo-01', outcome: 'forbidden' }),
  );
  await store.close();
}

it('npm run import-state -- <dir>: the Redis store then answers what the file store answered, and a second import is refused', async () => {
  await fillStateDir();
  const before = await FileStore.open(dir, logger);
  const expected = {
    pending: await before.getConfirmation('pending'),
    used: await before.getConfirmation('used'),
    tracked: await before.trackedChanges(),
    subscriptions: await before.subscriptions(),
    fleet: await before.fleetState(),
    trail: await before.auditTrail({ id: 12345, name: 'web-server-01' }, 20),
    typo: await before.auditTrail({ id: 999, name: 'typo-01' }, 20),
    recent: await before.recentAudit(10),
    approvals: { open: await before.getApproval('open'), decided: await before.getApproval('decided') },
    // A schedule finished a month ago stays behind.
    schedules: (await before.schedulesIn(['pending', 'running', 'done'])).filter((s) => s.id !== 'long-done'),
  };
  await before.close();

  const run = (env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/import-state.ts', dir], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
    });
  const imported = await run({ REDIS_URL: redis.url() });
  expect(imported.stdout).toMatch(/"msg":"imported STATE_DIR into Redis"/);
  expect(imported.stdout).toMatch(
    /"confirmations":2,"tracked":1,"subscriptions":2,"ownChanges":1,"auditEntries":26,"notifications":1,"approvals":2,"schedules":3/,
  );

  const after = await RedisStore.open(redis.url(), logger);
  try {
    expect(await after.getConfirmation('pending')).toEqual(expected.pending);
    expect(await after.getConfirmation('used')).toEqual(expected.used);
    expect(await after.getConfirmation('ancient')).toBeUndefined();
    expect((await after.redeemConfirmation('used', 'U0ALICE', Date.now())).kind).toBe('used');
    expect(await after.trackedChanges()).toEqual(expected.tracked);
    expect(await after.subscriptions()).toEqual(expected.subscriptions);
    expect(await after.fleetState()).toEqual({ ...expected.fleet, ownSeen: 0 });
    expect((await after.ownChanges()).map((c) => [c.serverId, c.server?.status])).toEqual([
      [12345, 'provisioning'],
    ]);
    expect(await after.auditTrail({ id: 12345, name: 'web-server-01' }, 20)).toEqual(expected.trail);
    expect(await after.auditTrail({ id: 999, name: 'typo-01' }, 20)).toEqual(expected.typo);
    expect((await after.changeUnderWay(12345, Date.now()))?.status).toBe('provisioning');
    expect(await after.recentAudit(10)).toEqual(expected.recent);
    expect(await after.getApproval('open')).toEqual(expected.approvals.open);
    expect(await after.getApproval('decided')).toEqual(expected.approvals.decided);
    expect(await after.getApproval('ancient')).toBeUndefined();
    expect((await after.openApprovals(Date.now())).map((a) => a.id)).toEqual(['open']);
    expect(await after.schedulesIn(['pending', 'running', 'done'])).toEqual(expected.schedules);
    expect(expected.schedules.map((s) => s.id)).toEqual(['done', 'running', 'waiting']);
    expect(await after.getSchedule('long-done')).toBeUndefined();
  } finally {
    await after.close();
  }

  const again = await run({ REDIS_URL: redis.url() }).then(
    () => undefined,
    (error: { code: number; stdout: string }) => error,
  );
  expect(again?.code).toBe(1);
  expect(again?.stdout).toContain('already holds vps-bot state');

  const noUrl = await run({}).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  expect(noUrl?.code).toBe(2);
  expect(noUrl?.stderr).toContain('REDIS_URL');
});
