import { describe, expect, it } from 'vitest';
import type { ChangeAction } from '../../src/records.js';
import { Approvals } from '../../src/service/approvals.js';
import { MemoryStore } from '../../src/store/memory.js';
import { makeServer } from './helpers.js';

const T0 = Date.UTC(2026, 10, 30, 9, 0);

function setup(required: ChangeAction[], ttlMs = 1_800_000) {
  const clock = { now: T0 };
  const store = new MemoryStore();
  return { clock, store, approvals: new Approvals({ store, required, ttlMs, now: () => clock.now }) };
}

describe('Approvals: which changes need a second operator', () => {
  it('none when VPS_APPROVAL_REQUIRED is unset', () => {
    const { approvals } = setup([]);
    for (const action of ['start', 'stop', 'reboot', 'delete'] as const) {
      expect(approvals.needed({ action, serverId: 1 })).toBe(false);
    }
  });

  it('exactly the actions named, whatever their parameters', () => {
    const { approvals } = setup(['delete', 'stop', 'backups']);
    expect(approvals.needed({ action: 'delete', serverId: 1 })).toBe(true);
    expect(approvals.needed({ action: 'stop', serverId: 1 })).toBe(true);
    expect(approvals.needed({ action: 'backups', serverId: 1, enabled: true })).toBe(true);
    expect(approvals.needed({ action: 'reboot', serverId: 1 })).toBe(false);
    expect(approvals.needed({ action: 'rename', serverId: 1, name: 'x' })).toBe(false);
  });

  it('a scheduled change as its action would now; `stop … for` also when start needs it', () => {
    const { approvals } = setup(['start']);
    const at = { kind: 'at', at: T0 + 60_000, zone: 'UTC' } as const;
    const forTwoHours = { kind: 'for', durationMs: 7_200_000, zone: 'UTC' } as const;
    expect(approvals.needed({ action: 'start', serverId: 1 }, at)).toBe(true);
    expect(approvals.needed({ action: 'stop', serverId: 1 }, at)).toBe(false);
    expect(approvals.needed({ action: 'stop', serverId: 1 }, forTwoHours)).toBe(true);
  });
});

describe('Approvals: a request decided once by someone else, before it expires', () => {
  it('keeps who asked, for which server, and expires after VPS_APPROVAL_SECONDS', async () => {
    const { approvals, clock } = setup(['stop'], 600_000);
    const asked = await approvals.ask(
      { userId: 'U0ALICE', channelId: 'C0GENERAL' },
      { action: 'stop', serverId: 12345 },
      makeServer(),
    );
    expect(asked).toMatchObject({
      requester: { userId: 'U0ALICE' },
      server: { id: 12345, name: 'web-server-01', status: 'active' },
      expiresAt: T0 + 600_000,
    });
    expect((await approvals.open()).map((a) => a.id)).toEqual([asked.id]);
    expect((await approvals.decide(asked.id, 'U0ALICE', 'approved')).kind).toBe('own');
    clock.now = T0 + 600_000;
    expect(await approvals.open()).toEqual([]);
    expect((await approvals.decide(asked.id, 'U0BOB', 'approved')).kind).toBe('expired');
  });

  it('the first decision wins; a later one, even the opposite, changes nothing', async () => {
    const { approvals, clock } = setup(['delete']);
    const asked = await approvals.ask(
      { userId: 'U0ALICE' },
      { action: 'delete', serverId: 12345 },
      makeServer(),
    );
    clock.now = T0 + 1000;
    expect((await approvals.decide(asked.id, 'U0BOB', 'rejected')).kind).toBe('ok');
    const again = await approvals.decide(asked.id, 'U0CAROL', 'approved');
    expect(again).toMatchObject({
      kind: 'decided',
      approval: { decision: { verdict: 'rejected', by: 'U0BOB' } },
    });
  });
});
