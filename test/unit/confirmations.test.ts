import { describe, expect, it } from 'vitest';
import type { Actor, ChangeRequest, Confirmation } from '../../src/records.js';
import { CONFIRMATION_TTL_MS, Confirmations } from '../../src/service/confirmations.js';
import { MemoryStore } from '../../src/store/memory.js';
import { decideRedeem } from '../../src/store/store.js';
import { makeServer } from './helpers.js';

const ALICE: Actor = { userId: 'U0ALICE', teamId: 'T1', channelId: 'C1' };
const STOP: ChangeRequest = { action: 'stop', serverId: 12345 };
const T0 = Date.parse('2026-01-01T00:00:00Z');

function setup() {
  const clock = { now: T0 };
  const store = new MemoryStore();
  const confirmations = new Confirmations(store, () => clock.now);
  return { clock, store, confirmations };
}

describe('Confirmations', () => {
  it('issues a confirmation bound to one user, one server and one action, for ten minutes', async () => {
    const { confirmations } = setup();
    const issued = await confirmations.issue(ALICE, STOP, makeServer());
    expect(CONFIRMATION_TTL_MS).toBe(10 * 60_000);
    expect(issued).toMatchObject({
      userId: 'U0ALICE',
      request: STOP,
      server: { id: 12345, name: 'web-server-01', status: 'active', updatedAt: '2025-01-15T10:20:00Z' },
      actor: ALICE,
      createdAt: T0,
      expiresAt: T0 + 10 * 60_000,
    });
    expect(issued.usedAt).toBeUndefined();
    expect(await confirmations.get(issued.id)).toEqual(issued);
  });

  it('issues a create confirmation without a server', async () => {
    const { confirmations } = setup();
    const request: ChangeRequest = {
      action: 'create',
      input: { name: 'web-03', plan_id: 1, os_id: 5, location: 'us-west' },
    };
    const issued = await confirmations.issue(ALICE, request, undefined);
    expect(issued.server).toBeUndefined();
    expect((await confirmations.redeem(issued.id, 'U0ALICE')).kind).toBe('ok');
  });

  it('redeems once: the second redeem is used, and nothing changes it back', async () => {
    const { clock, confirmations } = setup();
    const issued = await confirmations.issue(ALICE, STOP, makeServer());
    clock.now += 5000;
    const first = await confirmations.redeem(issued.id, 'U0ALICE');
    expect(first).toEqual({ kind: 'ok', confirmation: { ...issued, usedAt: T0 + 5000 } });
    expect((await confirmations.redeem(issued.id, 'U0ALICE')).kind).toBe('used');
    expect((await confirmations.redeem(issued.id, 'U0BOB')).kind).toBe('used');
    clock.now += CONFIRMATION_TTL_MS;
    expect((await confirmations.redeem(issued.id, 'U0ALICE')).kind).toBe('used');
    expect((await confirmations.get(issued.id))?.usedAt).toBe(T0 + 5000);
  });

  it("refuses another user's redeem and keeps it redeemable by its owner", async () => {
    const { confirmations } = setup();
    const issued = await confirmations.issue(ALICE, STOP, makeServer());
    const other = await confirmations.redeem(issued.id, 'U0BOB');
    expect(other.kind).toBe('wrong_user');
    expect(other.kind === 'wrong_user' && other.confirmation.userId).toBe('U0ALICE');
    expect((await confirmations.get(issued.id))?.usedAt).toBeUndefined();
    expect((await confirmations.redeem(issued.id, 'U0ALICE')).kind).toBe('ok');
  });

  it('expires after ten minutes, and not a moment before', async () => {
    const { clock, confirmations } = setup();
    const issued = await confirmations.issue(ALICE, STOP, makeServer());
    const late = await confirmations.issue(ALICE, STOP, makeServer());
    clock.now = T0 + CONFIRMATION_TTL_MS - 1;
    expect((await confirmations.redeem(issued.id, 'U0ALICE')).kind).toBe('ok');
    clock.now = T0 + CONFIRMATION_TTL_MS;
    expect((await confirmations.redeem(late.id, 'U0ALICE')).kind).toBe('expired');
    expect((await confirmations.redeem(late.id, 'U0BOB')).kind).toBe('expired');
    expect((await confirmations.get(late.id))?.usedAt).toBeUndefined();
  });

  it('answers unknown for an id it never issued', async () => {
    const { confirmations } = setup();
    expect(await confirmations.redeem('no-such-id', 'U0ALICE')).toEqual({ kind: 'unknown' });
    expect(await confirmations.redeem('', 'U0ALICE')).toEqual({ kind: 'unknown' });
    expect(await confirmations.get('no-such-id')).toBeUndefined();
  });

  it('makes ids that cannot be guessed: long, URL-safe and all different', async () => {
    const { confirmations } = setup();
    const ids = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const { id } = await confirmations.issue(ALICE, STOP, makeServer());
      expect(id.length).toBeGreaterThanOrEqual(16);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      ids.add(id);
    }
    expect(ids.size).toBe(500);
  });

  it('lets exactly one of 20 concurrent redeems of one id through', async () => {
    const { confirmations } = setup();
    const issued = await confirmations.issue(ALICE, STOP, makeServer());
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => confirmations.redeem(issued.id, 'U0ALICE')),
    );
    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'used')).toHaveLength(19);
  });

  it('keeps confirmations apart: redeeming one leaves the others', async () => {
    const { confirmations } = setup();
    const a = await confirmations.issue(ALICE, STOP, makeServer());
    const b = await confirmations.issue(ALICE, { action: 'reboot', serverId: 12345 }, makeServer());
    expect((await confirmations.redeem(a.id, 'U0ALICE')).kind).toBe('ok');
    const second = await confirmations.redeem(b.id, 'U0ALICE');
    expect(second.kind === 'ok' && second.confirmation.request).toEqual({
      action: 'reboot',
      serverId: 12345,
    });
  });
});

describe('MemoryStore', () => {
  it('keeps its own copies: changing what was saved or returned changes nothing stored', async () => {
    const { store, confirmations } = setup();
    const issued = await confirmations.issue(ALICE, STOP, makeServer());
    issued.userId = 'U0MALLORY';
    const fetched = await store.getConfirmation(issued.id);
    expect(fetched?.userId).toBe('U0ALICE');
    if (fetched) fetched.usedAt = 1;
    expect((await store.redeemConfirmation(issued.id, 'U0ALICE', T0)).kind).toBe('ok');
  });

  it('remembers, replaces and forgets tracked changes by server', async () => {
    const store = new MemoryStore();
    const change = {
      serverId: 7,
      serverName: 'a',
      action: 'stop' as const,
      actor: ALICE,
      startedAt: T0,
      status: 'stopping',
    };
    await store.saveTracked(change);
    await store.saveTracked({ ...change, status: 'stopped' });
    await store.saveTracked({ ...change, serverId: 8 });
    expect((await store.trackedChanges()).map((c) => [c.serverId, c.status])).toEqual([
      [7, 'stopped'],
      [8, 'stopping'],
    ]);
    await store.deleteTracked(7);
    expect((await store.trackedChanges()).map((c) => c.serverId)).toEqual([8]);
  });
});

describe('decideRedeem', () => {
  const base: Confirmation = {
    id: 'x',
    userId: 'U0ALICE',
    request: STOP,
    server: undefined,
    actor: ALICE,
    createdAt: 0,
    expiresAt: 100,
  };

  it('decides in order: unknown, used, expired, wrong user, ok', () => {
    expect(decideRedeem(undefined, 'U0ALICE', 0)).toEqual({ kind: 'unknown' });
    expect(decideRedeem({ ...base, usedAt: 5 }, 'U0BOB', 500).kind).toBe('used');
    expect(decideRedeem(base, 'U0BOB', 100).kind).toBe('expired');
    expect(decideRedeem(base, 'U0BOB', 99).kind).toBe('wrong_user');
    expect(decideRedeem(base, 'U0ALICE', 99)).toEqual({ kind: 'ok', confirmation: { ...base, usedAt: 99 } });
  });

  it('does not change the confirmation it was given', () => {
    const copy = structuredClone(base);
    decideRedeem(copy, 'U0ALICE', 1);
    expect(copy).toEqual(base);
  });
});
