import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { AuditEntry } from '../../src/records.js';
import { FileStore } from '../../src/store/file.js';
import { approval, schedule, T0 } from './contract.js';

// What every store does with approvals, schedules and recent audit entries is in the contract
// (contract.ts); this is what only the file store needs.

let dir: string;
const logger = () => createLogger({ level: 'error', secrets: [], write: () => undefined });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vps-bot-pending-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

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
