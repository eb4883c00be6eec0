import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Approval, Schedule } from '../../src/pending-records.js';
import type { AuditEntry, Confirmation, FleetState, TrackedChange } from '../../src/records.js';
import { LeaseLostError } from '../../src/store/errors.js';
import { RECENT_AUDIT } from '../../src/store/pending.js';
import { AUDIT_PER_SERVER, emptyFleetState, type StateStore } from '../../src/store/store.js';

/**
 * What every StateStore promises, run over each store. `peer` is a second handle on the same state:
 * another replica's connection for a shared store, the same object for an embedded one.
 */
export interface ContractSubject {
  store: StateStore;
  peer: StateStore;
  close(): Promise<void>;
}

export function confirmation(id: string, at: number, overrides: Partial<Confirmation> = {}): Confirmation {
  return {
    id,
    userId: 'U0ALICE',
    request: { action: 'reboot', serverId: 12345 },
    server: { id: 12345, name: 'web-server-01', status: 'active', updatedAt: '2025-01-15T10:20:00Z' },
    actor: { userId: 'U0ALICE', channelId: 'C0GENERAL', replyUrl: 'http://127.0.0.1/r/1' },
    createdAt: at,
    expiresAt: at + 600_000,
    ...overrides,
  };
}

export function tracked(serverId: number, overrides: Partial<TrackedChange> = {}): TrackedChange {
  return {
    serverId,
    serverName: `server-${serverId}`,
    action: 'stop',
    actor: { userId: 'U0ALICE', channelId: 'C0GENERAL' },
    startedAt: 1_000,
    status: 'stopping',
    card: { channel: 'C0GENERAL', ts: '1.000100', headline: 'h' },
    ...overrides,
  };
}

export function auditEntry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
    user: 'U0ALICE',
    action: 'stop',
    serverId: 12345,
    serverName: 'web-server-01',
    params: { i },
    outcome: 'ok',
    ...extra,
  };
}

export function fleetState(overrides: Partial<FleetState> = {}): FleetState {
  return {
    snapshot: { '12345': { name: 'web-server-01', status: 'active' } },
    recent: { '12345': [{ at: 1, from: 'active', to: 'stopped' }] },
    summaries: { '12346': { since: 1, changes: 4, refs: [{ channel: 'C0OPS', ts: '1.2' }] } },
    outbox: [
      {
        id: 'd1',
        channel: 'C0OPS',
        notice: {
          kind: 'status',
          serverId: 12345,
          name: 'web-server-01',
          from: 'active',
          to: 'stopped',
          at: 1,
        },
      },
    ],
    ...overrides,
  };
}

/** A fixed instant for approvals and schedules: every store keeps them by their own times. */
export const T0 = Date.UTC(2026, 10, 30, 9, 0);

export function approval(id: string, extra: Partial<Approval> = {}): Approval {
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

export function schedule(id: string, at: number, extra: Partial<Schedule> = {}): Schedule {
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

/** Waits until `check` holds: for expiries a store keeps in real time (a Redis TTL). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error('not yet');
    },
    { timeout: timeoutMs, interval: 10 },
  );
}

export function storeContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`${name}: the StateStore contract`, () => {
    let subject: ContractSubject;
    let store: StateStore;
    let peer: StateStore;
    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      peer = subject.peer;
    });
    afterEach(() => subject.close());

    it('is healthy', () => {
      expect(store.healthy).toBe(true);
    });

    describe('IDs that name what every object inherits (a tampered button value)', () => {
      const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

      it('are unknown to every lookup and every decision, and change nothing', async () => {
        const at = Date.now();
        await store.saveConfirmation(confirmation('c1', at));
        await store.saveApproval(approval('a1'));
        await store.saveSchedule(schedule('s1', T0 + 60_000));
        for (const id of INHERITED) {
          expect(await peer.getConfirmation(id), id).toBeUndefined();
          expect(await peer.redeemConfirmation(id, 'U0ALICE', at), id).toEqual({ kind: 'unknown' });
          expect(await peer.getApproval(id), id).toBeUndefined();
          expect(await peer.decideApproval(id, { verdict: 'approved', by: 'U0BOB', at: T0 }), id).toEqual({
            kind: 'unknown',
          });
          await peer.noteApprovalMessage(id, { channel: 'C0GENERAL', ts: '1.2' });
          expect(await peer.getSchedule(id), id).toBeUndefined();
          expect(await peer.claimSchedule(id, 'cancelled', T0, 'U0BOB'), id).toEqual({ kind: 'unknown' });
        }
        expect(await peer.getConfirmation('c1')).toEqual(confirmation('c1', at));
        expect(await peer.openApprovals(T0)).toEqual([approval('a1')]);
        expect(await peer.schedulesIn(['pending'])).toEqual([schedule('s1', T0 + 60_000)]);
      });
    });

    describe('confirmations', () => {
      it('keeps a confirmation as it was given', async () => {
        const asked = confirmation('c1', 1_000);
        await store.saveConfirmation(asked);
        expect(await peer.getConfirmation('c1')).toEqual(asked);
        expect(await store.getConfirmation('nope')).toBeUndefined();
      });

      it('redeems once: ok, then used; refuses another user, an expired one and an unknown id unchanged', async () => {
        const at = Date.now();
        await store.saveConfirmation(confirmation('c1', at));
        await store.saveConfirmation(confirmation('c2', at));
        expect(await store.redeemConfirmation('nope', 'U0ALICE', at)).toEqual({ kind: 'unknown' });
        expect((await store.redeemConfirmation('c1', 'U0BOB', at + 1)).kind).toBe('wrong_user');
        expect((await store.redeemConfirmation('c2', 'U0ALICE', at + 600_000)).kind).toBe('expired');
        expect((await store.getConfirmation('c2'))?.usedAt).toBeUndefined();

        const ok = await store.redeemConfirmation('c1', 'U0ALICE', at + 2);
        expect(ok).toMatchObject({ kind: 'ok', confirmation: { id: 'c1', usedAt: at + 2 } });
        const again = await peer.redeemConfirmation('c1', 'U0ALICE', at + 3);
        expect(again).toMatchObject({ kind: 'used', confirmation: { usedAt: at + 2 } });
        expect((await peer.getConfirmation('c1'))?.usedAt).toBe(at + 2);
      });

      it('of 20 redeems at once, from two handles, exactly one is ok', async () => {
        const at = Date.now();
        await store.saveConfirmation(confirmation('race', at));
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 === 0 ? store : peer).redeemConfirmation('race', 'U0ALICE', at + 1),
          ),
        );
        expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(1);
        expect(outcomes.filter((o) => o.kind === 'used')).toHaveLength(19);
      });
    });

    describe('servers followed, and the claim on a server', () => {
      it('saves, lists and drops followed servers', async () => {
        await store.saveTracked(tracked(1));
        await peer.saveTracked(tracked(2, { status: 'starting', action: 'start' }));
        await store.saveTracked(tracked(1, { status: 'stopped' }));
        const all = (await store.trackedChanges()).sort((a, b) => a.serverId - b.serverId);
        expect(all).toEqual([
          tracked(1, { status: 'stopped' }),
          tracked(2, { status: 'starting', action: 'start' }),
        ]);
        await peer.deleteTracked(1);
        expect((await store.trackedChanges()).map((c) => c.serverId)).toEqual([2]);
      });

      it('lets one change claim a server; a second is told which change is under way', async () => {
        const now = Date.now();
        const first = await store.claimChange(tracked(7, { actor: { userId: 'U0ALICE' } }), now, 60_000);
        expect(first.kind).toBe('claimed');
        const second = await peer.claimChange(tracked(7, { actor: { userId: 'U0BOB' } }), now, 60_000);
        expect(second).toMatchObject({ kind: 'busy', change: { serverId: 7, actor: { userId: 'U0ALICE' } } });
        expect(await peer.changeUnderWay(7, now)).toMatchObject({ actor: { userId: 'U0ALICE' } });
        expect(await store.changeUnderWay(8, now)).toBeUndefined();

        await peer.releaseChange(7, 'not-the-token');
        expect(await store.changeUnderWay(7, now)).toBeDefined();
        if (first.kind !== 'claimed') throw new Error('unreachable');
        await peer.releaseChange(7, first.token);
        expect(await store.changeUnderWay(7, now)).toBeUndefined();
        expect((await peer.claimChange(tracked(7), now, 60_000)).kind).toBe('claimed');
      });

      it('counts a followed server as busy, until it is dropped', async () => {
        const now = Date.now();
        await store.saveTracked(tracked(9, { status: 'starting' }));
        expect(await peer.claimChange(tracked(9), now, 60_000)).toMatchObject({
          kind: 'busy',
          change: { status: 'starting' },
        });
        expect(await peer.changeUnderWay(9, now)).toMatchObject({ status: 'starting' });
        await store.deleteTracked(9);
        expect((await peer.claimChange(tracked(9), now, 60_000)).kind).toBe('claimed');
      });

      it('of 20 claims at once on one server, from two handles, exactly one wins', async () => {
        const now = Date.now();
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? store : peer).claimChange(tracked(11), now, 60_000)),
        );
        expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
      });

      it('lets a claim lapse after its time, so a replica that died mid-change blocks nothing for long', async () => {
        const now = Date.now();
        expect((await store.claimChange(tracked(12), now, 50)).kind).toBe('claimed');
        expect((await peer.claimChange(tracked(12), now + 1, 50)).kind).toBe('busy');
        await eventually(
          async () => (await peer.claimChange(tracked(12), now + 1000, 50)).kind === 'claimed',
        );
      });
    });

    describe('subscriptions', () => {
      it('adds once, lists, removes once', async () => {
        const all = {
          channelId: 'C0OPS',
          serverId: 'all' as const,
          by: 'U0ALICE',
          at: '2026-01-01T00:00:00Z',
        };
        const one = {
          channelId: 'C0DB',
          serverId: 12346,
          serverName: 'db',
          by: 'U0BOB',
          at: '2026-01-01T00:00:01Z',
        };
        expect(await store.addSubscription(all)).toBe(true);
        expect(await peer.addSubscription(one)).toBe(true);
        expect(await store.addSubscription({ ...all, by: 'U0BOB' })).toBe(false);
        expect(await peer.subscriptions()).toEqual([all, one]);
        expect(await store.removeSubscription('C0OPS', 'all')).toBe(true);
        expect(await peer.removeSubscription('C0OPS', 'all')).toBe(false);
        expect(await store.removeSubscription('C0DB', 12345)).toBe(false);
        expect(await store.subscriptions()).toEqual([one]);
      });
    });

    describe('the fleet watch', () => {
      it('starts empty and keeps its state whole', async () => {
        expect(await store.fleetState()).toEqual(emptyFleetState());
        await store.saveFleetState(fleetState({ ownSeen: 0 }));
        expect(await peer.fleetState()).toEqual(fleetState({ ownSeen: 0 }));
      });

      it('notes own changes from any handle in order, and forgets those a saved state has taken in', async () => {
        await store.noteOwnChange(1, { name: 'one', status: 'stopping' });
        await peer.noteOwnChange(2, undefined);
        await store.noteOwnChange(1, { name: 'one', status: 'stopped' });
        const noted = (await peer.ownChanges()).sort((a, b) => a.seq - b.seq);
        expect(noted.map((c) => [c.serverId, c.server?.status])).toEqual([
          [2, undefined],
          [1, 'stopped'],
        ]);
        const [deleted, stopped] = noted;
        if (!deleted || !stopped) throw new Error('unreachable');
        expect(stopped.seq).toBeGreaterThan(deleted.seq);

        await store.saveFleetState(fleetState({ ownSeen: deleted.seq }));
        expect((await peer.ownChanges()).map((c) => c.serverId)).toEqual([1]);
        await peer.noteOwnChange(3, { name: 'three', status: 'active' });
        await store.saveFleetState(fleetState({ ownSeen: stopped.seq }));
        expect((await store.ownChanges()).map((c) => c.serverId)).toEqual([3]);
      });
    });

    describe('the audit trail', () => {
      it("answers a server's newest entries first, by ID and by the name a refusal typed", async () => {
        for (let i = 0; i < 5; i++) await (i % 2 ? store : peer).appendAudit(auditEntry(i));
        await store.appendAudit(auditEntry(5, { serverId: undefined, outcome: 'forbidden' }));
        await store.appendAudit(auditEntry(6, { serverId: 999, serverName: 'other' }));
        const trail = await peer.auditTrail({ id: 12345, name: 'web-server-01' }, 20);
        expect(trail.map((e) => e.params.i)).toEqual([5, 4, 3, 2, 1, 0]);
        expect(trail[0]).toEqual(auditEntry(5, { serverId: undefined, outcome: 'forbidden' }));
        expect((await store.auditTrail({ id: 12345 }, 3)).map((e) => e.params.i)).toEqual([4, 3, 2]);
        expect(await store.auditTrail({ id: 4242 }, 20)).toEqual([]);
      });

      it(`keeps the newest ${AUDIT_PER_SERVER} entries of each server`, async () => {
        for (let i = 0; i < AUDIT_PER_SERVER + 10; i++) await store.appendAudit(auditEntry(i));
        const trail = await peer.auditTrail({ id: 12345 }, 1000);
        expect(trail).toHaveLength(AUDIT_PER_SERVER);
        expect(trail[0]?.params.i).toBe(AUDIT_PER_SERVER + 9);
        expect(trail.at(-1)?.params.i).toBe(10);
      });
    });

    describe('deliveries', () => {
      it('sees a delivery once, from whichever handle, until its time is up', async () => {
        const now = Date.now();
        expect(await store.firstDelivery('t1', now, 60_000)).toBe(true);
        expect(await peer.firstDelivery('t1', now + 1, 60_000)).toBe(false);
        expect(await store.firstDelivery('t2', now + 1, 60_000)).toBe(true);
        expect(await store.firstDelivery('short', now, 50)).toBe(true);
        await eventually(() => peer.firstDelivery('short', now + 1000, 50));
      });

      it('of 10 deliveries of one id at once, exactly one is first', async () => {
        const now = Date.now();
        const seen = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? store : peer).firstDelivery('dup', now, 60_000)),
        );
        expect(seen.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('the App Home: recent audit entries', () => {
      it(`answers the newest entries about any server, newest first, at most ${RECENT_AUDIT}`, async () => {
        for (let i = 0; i < RECENT_AUDIT + 5; i++) {
          await (i % 2 ? store : peer).appendAudit(auditEntry(i, { serverId: 12345 + (i % 3) }));
        }
        const recent = await peer.recentAudit(3);
        expect(recent.map((e) => e.params.i)).toEqual([RECENT_AUDIT + 4, RECENT_AUDIT + 3, RECENT_AUDIT + 2]);
        expect(recent.map((e) => e.serverId)).toEqual([12345, 12347, 12346]);
        expect(await store.recentAudit(1000)).toHaveLength(RECENT_AUDIT);
      });
    });

    describe('two-person approvals', () => {
      it('keeps an approval as it was given, its decision and message included', async () => {
        const given = approval('kept', {
          timing: { kind: 'at', at: T0 + 3_600_000, zone: 'UTC' },
          message: { channel: 'C0GENERAL', ts: '1.000100' },
        });
        await store.saveApproval(given);
        expect(await peer.getApproval('kept')).toEqual(given);
        const decided = approval('decided', { decision: { verdict: 'rejected', by: 'U0BOB', at: T0 + 1 } });
        await peer.saveApproval(decided);
        expect(await store.getApproval('decided')).toEqual(decided);
        expect(await store.getApproval('nope')).toBeUndefined();
      });

      it('decides once, never by its requester, never once expired; what it refuses changes nothing', async () => {
        await store.saveApproval(approval('a'));
        expect(await peer.decideApproval('nope', { verdict: 'approved', by: 'U0BOB', at: T0 })).toEqual({
          kind: 'unknown',
        });
        expect((await peer.decideApproval('a', { verdict: 'approved', by: 'U0ALICE', at: T0 })).kind).toBe(
          'own',
        );
        const late = await store.decideApproval('a', {
          verdict: 'approved',
          by: 'U0BOB',
          at: T0 + 1_800_000,
        });
        expect(late).toMatchObject({ kind: 'expired', approval: { id: 'a' } });
        expect((await peer.getApproval('a'))?.decision).toBeUndefined();
        const ok = await peer.decideApproval('a', { verdict: 'approved', by: 'U0BOB', at: T0 + 60_000 });
        expect(ok).toEqual({
          kind: 'ok',
          approval: approval('a', { decision: { verdict: 'approved', by: 'U0BOB', at: T0 + 60_000 } }),
        });
        const again = await store.decideApproval('a', {
          verdict: 'rejected',
          by: 'U0CAROL',
          at: T0 + 61_000,
        });
        expect(again).toMatchObject({ kind: 'decided', approval: { decision: { by: 'U0BOB' } } });
        expect((await store.getApproval('a'))?.decision).toEqual({
          verdict: 'approved',
          by: 'U0BOB',
          at: T0 + 60_000,
        });
      });

      it('of 20 decisions at once, from two handles, exactly one is ok', async () => {
        await store.saveApproval(approval('race'));
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? store : peer).decideApproval('race', {
              verdict: i % 3 ? 'rejected' : 'approved',
              by: `U0OPERATOR${i}`,
              at: T0 + 1000,
            }),
          ),
        );
        const ok = outcomes.filter((o) => o.kind === 'ok');
        expect(ok).toHaveLength(1);
        expect(outcomes.filter((o) => o.kind === 'decided')).toHaveLength(19);
        const winner = ok[0]?.kind === 'ok' ? ok[0].approval.decision : undefined;
        expect((await peer.getApproval('race'))?.decision).toEqual(winner);
      });

      it('lists the open ones oldest first, leaving out the decided and the expired; notes the message alone', async () => {
        await store.saveApproval(approval('open', { createdAt: T0 + 2 }));
        await peer.saveApproval(approval('older', { createdAt: T0 + 1 }));
        await store.saveApproval(approval('gone', { expiresAt: T0 + 10 }));
        await peer.saveApproval(approval('done'));
        await store.decideApproval('done', { verdict: 'rejected', by: 'U0BOB', at: T0 + 5 });
        await peer.noteApprovalMessage('open', { channel: 'C0GENERAL', ts: '1.000100' });
        await peer.noteApprovalMessage('never-saved', { channel: 'C0GENERAL', ts: '1.000200' });
        expect((await store.openApprovals(T0 + 100)).map((a) => a.id)).toEqual(['older', 'open']);
        expect((await peer.openApprovals(T0)).map((a) => a.id)).toEqual(['gone', 'older', 'open']);
        expect(await peer.getApproval('open')).toEqual(
          approval('open', { createdAt: T0 + 2, message: { channel: 'C0GENERAL', ts: '1.000100' } }),
        );
        expect(await store.getApproval('never-saved')).toBeUndefined();
      });
    });

    describe('scheduled actions', () => {
      it('keeps a schedule as it was given', async () => {
        const given = schedule('s', T0 + 60_000, { approvedBy: 'U0BOB', restart: true, action: 'start' });
        await store.saveSchedule(given);
        expect(await peer.getSchedule('s')).toEqual(given);
        expect(await peer.getSchedule('nope')).toBeUndefined();
      });

      it('claims a schedule once: run, cancelled or missed, whichever comes first', async () => {
        await store.saveSchedule(schedule('s', T0 + 3_600_000));
        const claims = await Promise.all([
          store.claimSchedule('s', 'running', T0 + 3_600_000),
          peer.claimSchedule('s', 'cancelled', T0 + 3_600_000, 'U0BOB'),
          store.claimSchedule('s', 'missed', T0 + 3_600_000),
        ]);
        expect(claims.filter((c) => c.kind === 'ok')).toHaveLength(1);
        expect(claims.filter((c) => c.kind === 'taken')).toHaveLength(2);
        expect(await peer.claimSchedule('nope', 'running', T0)).toEqual({ kind: 'unknown' });
      });

      it('of 20 claims at once, from two handles, exactly one is ok, and every other sees it taken', async () => {
        await store.saveSchedule(schedule('race', T0 + 60_000));
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? store : peer).claimSchedule('race', 'running', T0 + i),
          ),
        );
        const ok = claims.filter((c) => c.kind === 'ok');
        expect(ok).toHaveLength(1);
        const settledAt = ok[0]?.kind === 'ok' ? ok[0].schedule.settledAt : undefined;
        for (const claim of claims) {
          expect(claim).toMatchObject({ schedule: { state: 'running', settledAt } });
        }
      });

      it('a claim says when and by whom; the schedule leaves pending for its new state', async () => {
        await store.saveSchedule(schedule('c', T0 + 60_000));
        const cancelled = await peer.claimSchedule('c', 'cancelled', T0 + 5, 'U0BOB');
        expect(cancelled).toEqual({
          kind: 'ok',
          schedule: schedule('c', T0 + 60_000, { state: 'cancelled', settledAt: T0 + 5, settledBy: 'U0BOB' }),
        });
        expect(await store.getSchedule('c')).toEqual(
          schedule('c', T0 + 60_000, { state: 'cancelled', settledAt: T0 + 5, settledBy: 'U0BOB' }),
        );
        expect(await store.schedulesIn(['pending'])).toEqual([]);
        expect((await peer.schedulesIn(['cancelled'])).map((s) => s.id)).toEqual(['c']);
        const taken = await store.claimSchedule('c', 'running', T0 + 60_000);
        expect(taken).toMatchObject({ kind: 'taken', schedule: { state: 'cancelled', settledBy: 'U0BOB' } });
      });

      it('lists schedules by state, soonest first, and finishes only a running one', async () => {
        await store.saveSchedule(schedule('late', T0 + 7_200_000));
        await peer.saveSchedule(schedule('soon', T0 + 60_000));
        await store.saveSchedule(schedule('next', T0 + 600_000));
        await peer.claimSchedule('next', 'running', T0 + 600_000);
        expect((await store.schedulesIn(['pending'])).map((s) => s.id)).toEqual(['soon', 'late']);
        expect((await peer.schedulesIn(['pending', 'running'])).map((s) => s.id)).toEqual([
          'soon',
          'next',
          'late',
        ]);
        await store.finishSchedule('soon', 'done', 'ok');
        expect((await peer.getSchedule('soon'))?.state).toBe('pending');
        await peer.finishSchedule('next', 'done', 'nothing_to_do');
        expect(await store.getSchedule('next')).toMatchObject({ state: 'done', outcome: 'nothing_to_do' });
        await store.finishSchedule('next', 'interrupted', 'interrupted');
        expect(await peer.getSchedule('next')).toMatchObject({ state: 'done', outcome: 'nothing_to_do' });
        expect(await store.schedulesIn(['running'])).toEqual([]);
        expect((await peer.schedulesIn(['done'])).map((s) => s.id)).toEqual(['next']);
      });

      it('a schedule saved again is replaced whole, in its new state only', async () => {
        await store.saveSchedule(schedule('again', T0 + 60_000));
        await peer.saveSchedule(
          schedule('again', T0 + 120_000, { state: 'missed', settledAt: T0 + 130_000 }),
        );
        expect(await store.schedulesIn(['pending'])).toEqual([]);
        expect(await store.schedulesIn(['missed'])).toEqual([
          schedule('again', T0 + 120_000, { state: 'missed', settledAt: T0 + 130_000 }),
        ]);
      });
    });

    describe('the lease', () => {
      it('is held by one holder at a time; renewing keeps its token; giving it up hands it on with a higher one', async () => {
        const a = await store.acquireLease('leader', 'replica-a', 60_000);
        expect(a).toBeTypeOf('number');
        expect(await peer.acquireLease('leader', 'replica-b', 60_000)).toBeUndefined();
        expect(await store.acquireLease('leader', 'replica-a', 60_000)).toBe(a);
        await peer.releaseLease('leader', 'replica-b');
        expect(await peer.acquireLease('leader', 'replica-b', 60_000)).toBeUndefined();
        await store.releaseLease('leader', 'replica-a');
        const b = await peer.acquireLease('leader', 'replica-b', 60_000);
        expect(b).toBeGreaterThan(a ?? Number.POSITIVE_INFINITY);
      });

      it('passes to another holder once it expires', async () => {
        const a = await store.acquireLease('short', 'replica-a', 50);
        expect(await peer.acquireLease('short', 'replica-b', 50)).toBeUndefined();
        let b: number | undefined;
        await eventually(async () => {
          b = await peer.acquireLease('short', 'replica-b', 60_000);
          return b !== undefined;
        });
        expect(b).toBeGreaterThan(a ?? Number.POSITIVE_INFINITY);
      });

      it('refuses the writes it guards once the lease has changed hands, and changes nothing then', async () => {
        const a = await store.acquireLease('fenced', 'replica-a', 60_000);
        if (a === undefined) throw new Error('no lease');
        const old = { lease: 'fenced', token: a };
        await store.saveTracked(tracked(1), old);
        await store.saveFleetState(fleetState(), old);
        await store.deleteTracked(1, old);
        await store.saveTracked(tracked(2), old);

        await store.releaseLease('fenced', 'replica-a');
        const b = await peer.acquireLease('fenced', 'replica-b', 60_000);
        if (b === undefined) throw new Error('no lease');
        await expect(store.saveTracked(tracked(3), old)).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.deleteTracked(2, old)).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.saveFleetState(emptyFleetState(), old)).rejects.toBeInstanceOf(LeaseLostError);
        expect((await peer.trackedChanges()).map((c) => c.serverId)).toEqual([2]);
        expect(await peer.fleetState()).toEqual(fleetState());

        const current = { lease: 'fenced', token: b };
        await peer.deleteTracked(2, current);
        expect(await store.trackedChanges()).toEqual([]);
      });

      it('refuses a guarded write once the lease has lapsed, even with no new holder', async () => {
        const a = await store.acquireLease('lapsed', 'replica-a', 50);
        if (a === undefined) throw new Error('no lease');
        await eventually(async () => {
          try {
            await store.saveTracked(tracked(4), { lease: 'lapsed', token: a });
            await store.deleteTracked(4);
            return false;
          } catch (error) {
            return error instanceof LeaseLostError;
          }
        });
      });
    });
  });
}
