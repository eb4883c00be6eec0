import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { AuditEntry } from '../records.js';
import { AuditLog } from './audit-log.js';
import type { FileStore } from './file.js';
import { KEEP_APPROVALS_MS, KEEP_SCHEDULES_MS } from './pending.js';
import type { RedisStore } from './redis.js';
import { KEEP_DECIDED_MS } from './store.js';

export interface ImportCounts {
  confirmations: number;
  tracked: number;
  subscriptions: number;
  ownChanges: number;
  auditEntries: number;
  notifications: number;
  approvals: number;
  schedules: number;
}

/**
 * Moves the state of one bot (its STATE_DIR, opened and so locked: no bot may be running on it) into
 * an empty Redis database, once. Everything `/vps history`, confirmations, the tracker and the fleet
 * watch, approvals and schedules need comes along; confirmations and approvals long expired, and
 * schedules long finished, stay behind.
 */
export async function importState(
  from: { store: FileStore; dir: string },
  to: RedisStore,
  logger: Logger,
  now: number = Date.now(),
): Promise<ImportCounts> {
  if (!(await to.isEmpty())) {
    throw new Error('this Redis database already holds vps-bot state; import into an empty one');
  }
  const { state, fleet } = await from.store.exportState();
  const counts: ImportCounts = {
    confirmations: 0,
    tracked: 0,
    subscriptions: 0,
    ownChanges: 0,
    auditEntries: 0,
    notifications: fleet.outbox.length,
    approvals: 0,
    schedules: 0,
  };
  for (const confirmation of Object.values(state.confirmations)) {
    if (confirmation.expiresAt + KEEP_DECIDED_MS < now) continue;
    await to.saveConfirmation(confirmation);
    counts.confirmations += 1;
  }
  for (const approval of Object.values(state.approvals ?? {})) {
    if (approval.expiresAt + KEEP_APPROVALS_MS < now) continue;
    await to.saveApproval(approval);
    counts.approvals += 1;
  }
  for (const schedule of Object.values(state.schedules ?? {})) {
    const finished = schedule.state !== 'pending' && schedule.state !== 'running';
    if (finished && (schedule.settledAt ?? schedule.at) + KEEP_SCHEDULES_MS < now) continue;
    await to.saveSchedule(schedule);
    counts.schedules += 1;
  }
  for (const change of Object.values(state.tracked)) {
    await to.saveTracked(change);
    counts.tracked += 1;
  }
  for (const subscription of state.subscriptions) {
    if (await to.addSubscription(subscription)) counts.subscriptions += 1;
  }
  // Redis numbers own changes afresh; those the snapshot has taken in are gone already.
  const pending = Object.values(state.ownChanges ?? {}).sort((a, b) => a.seq - b.seq);
  for (const change of pending) {
    await to.noteOwnChange(change.serverId, change.server);
    counts.ownChanges += 1;
  }
  await to.saveFleetState({ ...fleet, ownSeen: 0 });
  const entries: AuditEntry[] = [];
  const audit = new AuditLog(join(from.dir, 'audit.jsonl'), logger);
  await audit.open((entry) => entries.push(entry));
  await audit.close();
  for (const entry of entries) {
    await to.appendAudit(entry);
    counts.auditEntries += 1;
  }
  return counts;
}
