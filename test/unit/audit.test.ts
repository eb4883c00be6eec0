import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/records.js';
import { AuditTrail } from '../../src/service/audit.js';
import { MemoryStore } from '../../src/store/memory.js';
import { collectLogger } from './helpers.js';

const ALICE: Actor = { userId: 'U0ALICE', teamId: 'T0TEAM', channelId: 'C0OPS' };
const T0 = Date.parse('2026-03-01T12:00:00.000Z');

function setup() {
  const clock = { now: T0 };
  const store = new MemoryStore();
  const log = collectLogger();
  const audit = new AuditTrail(store, log.logger, () => clock.now);
  return { clock, store, log, audit };
}

describe('AuditTrail', () => {
  it('writes one JSON line with who, where, what, which server, parameters and outcome', async () => {
    const { audit, log } = setup();
    const entry = await audit.record(
      ALICE,
      'rename',
      { id: 12345, name: 'web-server-01' },
      { name: 'web-server-02' },
      'ok',
    );
    expect(entry).toEqual({
      time: '2026-03-01T12:00:00.000Z',
      user: 'U0ALICE',
      team: 'T0TEAM',
      channel: 'C0OPS',
      action: 'rename',
      serverId: 12345,
      serverName: 'web-server-01',
      params: { name: 'web-server-02' },
      outcome: 'ok',
    });
    const lines = log.lines.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      user: 'U0ALICE',
      team: 'T0TEAM',
      channel: 'C0OPS',
      action: 'rename',
      server_id: 12345,
      server_name: 'web-server-01',
      params: { name: 'web-server-02' },
      outcome: 'ok',
    });
    expect(JSON.stringify(line)).toContain('2026-03-01T12:00:00.000Z');
  });

  it('records a refused attempt and one without a server', async () => {
    const { audit, log } = setup();
    await audit.record({ userId: 'U0MALLORY' }, 'stop', { id: 1, name: 'a' }, {}, 'forbidden');
    const created = await audit.record(
      ALICE,
      'create',
      undefined,
      { input: { name: 'x' } },
      'confirmation_requested',
    );
    expect(created.serverId).toBeUndefined();
    const records = log.records();
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      user: 'U0MALLORY',
      action: 'stop',
      server_id: 1,
      outcome: 'forbidden',
    });
    expect(records[1]).toMatchObject({ action: 'create', outcome: 'confirmation_requested' });
  });

  it('answers a server history newest first, limited, and only for that server', async () => {
    const { audit, clock } = setup();
    for (let i = 1; i <= 25; i++) {
      clock.now = T0 + i * 1000;
      await audit.record(ALICE, 'rename', { id: 1, name: `n${i}` }, { name: `n${i + 1}` }, 'ok');
      await audit.record(ALICE, 'stop', { id: 2, name: 'other' }, {}, 'ok');
    }
    const all = await audit.history({ id: 1 });
    expect(all).toHaveLength(20);
    expect(all[0]?.serverName).toBe('n25');
    expect(all[19]?.serverName).toBe('n6');
    expect(all.every((entry) => entry.serverId === 1)).toBe(true);
    const times = all.map((entry) => entry.time);
    expect([...times].sort().reverse()).toEqual(times);

    const three = await audit.history({ id: 1 }, 3);
    expect(three.map((entry) => entry.serverName)).toEqual(['n25', 'n24', 'n23']);
    expect(await audit.history({ id: 99 })).toEqual([]);
  });

  it('includes refusals that only had the name typed, in time order', async () => {
    const { audit, clock } = setup();
    clock.now = T0 + 1000;
    await audit.record(ALICE, 'stop', { id: 7, name: 'web-server-07' }, {}, 'confirmation_requested');
    clock.now = T0 + 2000;
    await audit.record(
      { userId: 'U0MALLORY' },
      'stop',
      { id: undefined, name: 'web-server-07' },
      {},
      'forbidden',
    );
    clock.now = T0 + 3000;
    await audit.record(ALICE, 'stop', { id: 7, name: 'web-server-07' }, {}, 'ok');
    const history = await audit.history({ id: 7, name: 'web-server-07' });
    expect(history.map((entry) => [entry.user, entry.outcome])).toEqual([
      ['U0ALICE', 'ok'],
      ['U0MALLORY', 'forbidden'],
      ['U0ALICE', 'confirmation_requested'],
    ]);
    expect((await audit.history({ id: 7 })).map((entry) => entry.outcome)).toEqual([
      'ok',
      'confirmation_requested',
    ]);
  });
});
