import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Approval, Schedule } from '../../src/pending-records.js';
import type { AuditEntry } from '../../src/records.js';
import { FileStore } from '../../src/store/file.js';
import { MemoryStore } from '../../src/store/memory.js';
import { RECENT_AUDIT } from '../../src/store/pending.js';
import type { StateStore } from '../../src/store/store.js';

const T0 = Date.UTC(2026, 10, 30, 9, 0);
let dir: string;
const logger = () => createLogger({ level: 'error', secrets: [], write: () => undefined });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vps-bot-pending-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function approval(id: string, extra: Partial<Approval> = {}): Approval {
  return {
    id,
    request: { action: 'stop', serverId: 12345 },
    requester: { userId: 'U0ALICE', channelId: 'C0GENERAL' },
    server: { id: 12345, name: 'web-server-01', status: 'active', updatedAt: '2025-01-15T10:20:00Z' },
    createdAt: T0,
    expiresAt: T0 + 1_800_000,
    ...extra,
  };
}

function schedule(id: string, at: number, extra: Partial<Schedule> = {}): Schedule {
  return {
    id,
    action: 'stop',
    serverId: 12345,
    serverName: 'web-server-01',
    at,
    zone: 'Europe/Berlin',
    by: { userId: 'U0ALICE', channelId: 'C0GENERAL' },
    createdAt: T0,
    state: 'pending',
    ...extra,
  };
}

function entry(i: number, serverId: number): AuditEntry {
  return {
    time: new Date(T0 + i * 1000).toISOString(),
    user: 'U0ALICE',
    action: 'start',
    serverId,
    params: {},
    outcome: 'ok',
  };
}

type Kind = 'memory' | 'file';
const stores: Record<Kind, () => Promise<StateStore>> = {
  memory: async () => new MemoryStore(),
  file: () => FileStore.open(dir, logger()),
};

describe.each(['memory', 'file'] as const)('%s store: approvals, schedules, recent audit', (kind) => {
  let store: StateStore;
  beforeEach(async () => {
    store = await stores[kind]();
  });
  afterEach(() => store.close());

  it('recentAudit: the newest entries about any server, newest first, at most RECENT_AUDIT kept', async () => {
    for (let i = 0; i < RECENT_AUDIT + 5; i++) await store.appendAudit(entry(i, 12345 + (i % 3)));
    const recent = await store.recentAudit(3);
    expect(recent.map((e) => e.serverId)).toEqual([12345, 12347, 12346]);
    expect(recent[0]?.time).toBe(new Date(T0 + (RECENT_AUDIT + 4) * 1000).toISOString());
    expect(await store.recentAudit(1000)).toHaveLength(RECENT_AUDIT);
  });

  it('an approval is decided once, never by its requester, never after it expired', async () => {
    await store.saveApproval(approval('a'));
    expect(await store.decideApproval('nope', { verdict: 'approved', by: 'U0BOB', at: T0 })).toEqual({
      kind: 'unknown',
    });
    expect((await store.decideApproval('a', { verdict: 'approved', by: 'U0ALICE', at: T0 })).kind).toBe(
      'own',
    );
    const expired = await store.decideApproval('a', { verdict: 'approved', by: 'U0BOB', at: T0 + 1_800_000 });
    expect(expired.kind).toBe('expired');
    expect((await store.getApproval('a'))?.decision).toBeUndefined();
    const ok = await store.decideApproval('a', { verdict: 'approved', by: 'U0BOB', at: T0 + 60_000 });
    expect(ok).toMatchObject({ kind: 'ok', approval: { decision: { verdict: 'approved', by: 'U0BOB' } } });
    const again = await store.decideApproval('a', { verdict: 'rejected', by: 'U0CAROL', at: T0 + 61_000 });
    expect(again).toMatchObject({ kind: 'decided', approval: { decision: { by: 'U0BOB' } } });
  });

  it('of many concurrent decisions, exactly one is ok', async () => {
    await store.saveApproval(approval('race'));
    const users = ['U0BOB', 'U0CAROL', 'U0DAVE', 'U0ERIN', 'U0FRANK', 'U0GRACE'];
    const outcomes = await Promise.all(
      users.map((by, i) =>
        store.decideApproval('race', { verdict: i % 2 ? 'rejected' : 'approved', by, at: T0 + 1000 }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'decided')).toHaveLength(users.length - 1);
  });

  it('open approvals leave out the decided and the expired; the message is noted without touching the rest', async () => {
    await store.saveApproval(approval('open', { createdAt: T0 + 2 }));
    await store.saveApproval(approval('older', { createdAt: T0 + 1 }));
    await store.saveApproval(approval('gone', { expiresAt: T0 + 10 }));
    await store.saveApproval(approval('done'));
    await store.decideApproval('done', { verdict: 'rejected', by: 'U0BOB', at: T0 + 5 });
    await store.noteApprovalMessage('open', { channel: 'C0GENERAL', ts: '1.000100' });
    expect((await store.openApprovals(T0 + 100)).map((a) => a.id)).toEqual(['older', 'open']);
    expect(await store.getApproval('open')).toMatchObject({
      message: { channel: 'C0GENERAL', ts: '1.000100' },
      requester: { userId: 'U0ALICE' },
    });
  });

  it('a schedule is claimed once: run, cancelled or missed, whichever comes first', async () => {
    await store.saveSchedule(schedule('s', T0 + 3_600_000));
    const claims = await Promise.all([
      store.claimSchedule('s', 'running', T0 + 3_600_000),
      store.claimSchedule('s', 'cancelled', T0 + 3_600_000, 'U0BOB'),
      store.claimSchedule('s', 'missed', T0 + 3_600_000),
    ]);
    expect(claims.filter((c) => c.kind === 'ok')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'taken')).toHaveLength(2);
    expect(await store.claimSchedule('nope', 'running', T0)).toEqual({ kind: 'unknown' });
  });

  it('lists schedules by state, soonest first, and finishes only a running one', async () => {
    await store.saveSchedule(schedule('late', T0 + 7_200_000));
    await store.saveSchedule(schedule('soon', T0 + 60_000));
    await store.saveSchedule(schedule('next', T0 + 600_000));
    await store.claimSchedule('next', 'running', T0 + 600_000);
    expect((await store.schedulesIn(['pending'])).map((s) => s.id)).toEqual(['soon', 'late']);
    expect((await store.schedulesIn(['pending', 'running'])).map((s) => s.id)).toEqual([
      'soon',
      'next',
      'late',
    ]);
    await store.finishSchedule('soon', 'done', 'ok');
    expect((await store.getSchedule('soon'))?.state).toBe('pending');
    await store.finishSchedule('next', 'done', 'nothing_to_do');
    expect(await store.getSchedule('next')).toMatchObject({ state: 'done', outcome: 'nothing_to_do' });
  });
});

describe('file store: approvals and schedules survive a reopen', () => {
  it('keeps them, with their decisions, claims and the recent audit entries', async () => {
    const first = await FileStore.open(dir, logger());
    await first.saveApproval(approval('a', { timing: { kind: 'at', at: T0 + 3_600_000, zone: 'UTC' } }));
    await first.decideApproval('a', { verdict: 'approved', by: 'U0BOB', at: T0 + 10 });
    await first.saveApproval(approval('b'));
    await first.saveSchedule(schedule('s1', T0 + 60_000, { approvedBy: 'U0BOB' }));
    await first.saveSchedule(schedule('s2', T0 + 120_000, { restart: true, action: 'start' }));
    await first.claimSchedule('s1', 'running', T0 + 60_000);
    await first.appendAudit({
      ...entry(1, 12345),
      approvedBy: 'U0BOB',
      scheduledFor: '2026-11-30T10:00:00Z',
    });
    await first.close();

    const second = await FileStore.open(dir, logger());
    expect(await second.getApproval('a')).toMatchObject({
      decision: { verdict: 'approved', by: 'U0BOB' },
      timing: { kind: 'at', zone: 'UTC' },
    });
    expect((await second.openApprovals(T0 + 20)).map((x) => x.id)).toEqual(['b']);
    expect(await second.schedulesIn(['running'])).toMatchObject([{ id: 's1', approvedBy: 'U0BOB' }]);
    expect(await second.schedulesIn(['pending'])).toMatchObject([{ id: 's2', restart: true }]);
    expect(await second.recentAudit(5)).toMatchObject([
      { approvedBy: 'U0BOB', scheduledFor: '2026-11-30T10:00:00Z' },
    ]);
    await second.close();
  });

  it('reads a state file written before approvals and schedules existed', async () => {
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({ version: 1, confirmations: {}, tracked: {}, subscriptions: [] }),
    );
    const store = await FileStore.open(dir, logger());
    expect(await store.schedulesIn(['pending'])).toEqual([]);
    await store.saveSchedule(schedule('s', T0 + 60_000));
    expect(await store.schedulesIn(['pending'])).toHaveLength(1);
    await store.close();
  });
});
