import { describe, expect, it } from 'vitest';
import type { ChangeRequest } from '../../src/records.js';
import { catalogueOf } from '../../src/service/catalogue.js';
import { changesSince, needsConfirmation, obstacle, paramsOf, serverIdOf } from '../../src/service/rules.js';
import { makeListServer, makeServer } from './helpers.js';

const ID = 12345;

describe('needsConfirmation', () => {
  it('asks before stop, reboot, delete, backups off, create and edit', () => {
    const asks: ChangeRequest[] = [
      { action: 'stop', serverId: ID },
      { action: 'reboot', serverId: ID },
      { action: 'delete', serverId: ID },
      { action: 'backups', serverId: ID, enabled: false },
      { action: 'create', input: { name: 'x', plan_id: 1, os_id: 1, location: 'us-west' } },
      {
        action: 'edit',
        serverId: ID,
        values: { name: 'x', hostname: 'x.example.com', backups_enabled: true },
      },
    ];
    for (const request of asks) expect(needsConfirmation(request), request.action).toBe(true);
  });

  it('goes straight through for start, rename, hostname and backups on', () => {
    const straight: ChangeRequest[] = [
      { action: 'start', serverId: ID },
      { action: 'rename', serverId: ID, name: 'x' },
      { action: 'hostname', serverId: ID, hostname: 'x.example.com' },
      { action: 'backups', serverId: ID, enabled: true },
    ];
    for (const request of straight) expect(needsConfirmation(request), request.action).toBe(false);
  });
});

describe('obstacle', () => {
  const start: ChangeRequest = { action: 'start', serverId: ID };
  const stop: ChangeRequest = { action: 'stop', serverId: ID };
  const reboot: ChangeRequest = { action: 'reboot', serverId: ID };

  it('start: only a stopped server', () => {
    expect(obstacle(start, makeServer({ status: 'stopped' }))).toBeUndefined();
    expect(obstacle(start, makeServer({ status: 'active' }))).toBe('is already running');
    expect(obstacle(start, makeServer({ status: 'starting' }))).toBe('is starting, not stopped');
    expect(obstacle(start, makeServer({ status: 'suspended' }))).toBe('is suspended, not stopped');
  });

  it('stop: only an active server', () => {
    expect(obstacle(stop, makeServer({ status: 'active' }))).toBeUndefined();
    expect(obstacle(stop, makeServer({ status: 'stopped' }))).toBe('is already stopped');
    expect(obstacle(stop, makeServer({ status: 'rebooting' }))).toBe('is rebooting, not running');
  });

  it('reboot: only an active server', () => {
    expect(obstacle(reboot, makeServer({ status: 'active' }))).toBeUndefined();
    expect(obstacle(reboot, makeServer({ status: 'stopped' }))).toBe('is stopped, not running');
    expect(obstacle(reboot, makeServer({ status: 'provisioning' }))).toBe('is provisioning, not running');
  });

  it('rename and hostname: only to something new', () => {
    const server = makeServer();
    expect(obstacle({ action: 'rename', serverId: ID, name: 'web-server-01' }, server)).toBe(
      'is already named web-server-01',
    );
    expect(obstacle({ action: 'rename', serverId: ID, name: 'web-server-02' }, server)).toBeUndefined();
    expect(obstacle({ action: 'hostname', serverId: ID, hostname: 'web01.example.com' }, server)).toBe(
      'already has the hostname web01.example.com',
    );
    expect(
      obstacle({ action: 'hostname', serverId: ID, hostname: 'web02.example.com' }, server),
    ).toBeUndefined();
  });

  it('backups: only a real change', () => {
    expect(
      obstacle({ action: 'backups', serverId: ID, enabled: true }, makeServer({ backups_enabled: true })),
    ).toBe('already has backups on');
    expect(
      obstacle({ action: 'backups', serverId: ID, enabled: false }, makeServer({ backups_enabled: false })),
    ).toBe('already has backups off');
    expect(
      obstacle({ action: 'backups', serverId: ID, enabled: false }, makeServer({ backups_enabled: true })),
    ).toBeUndefined();
  });

  it('edit: only when some value differs', () => {
    const server = makeServer();
    const same = { name: 'web-server-01', hostname: 'web01.example.com', backups_enabled: true };
    expect(obstacle({ action: 'edit', serverId: ID, values: same }, server)).toMatch(/would not change/);
    for (const values of [
      { ...same, name: 'web-server-02' },
      { ...same, hostname: 'web02.example.com' },
      { ...same, backups_enabled: false },
    ]) {
      expect(obstacle({ action: 'edit', serverId: ID, values }, server)).toBeUndefined();
    }
  });

  it('has nothing against delete, whatever the status', () => {
    for (const status of ['active', 'stopped', 'suspended']) {
      expect(obstacle({ action: 'delete', serverId: ID }, makeServer({ status }))).toBeUndefined();
    }
  });
});

describe('changesSince', () => {
  const asked = { id: ID, name: 'web-server-01', status: 'active', updatedAt: '2025-01-15T10:20:00Z' };

  it('is empty when nothing changed', () => {
    expect(changesSince(asked, makeServer())).toEqual([]);
  });

  it('names a new status and a new name', () => {
    expect(changesSince(asked, makeServer({ status: 'stopped', name: 'web-server-02' }))).toEqual([
      'its status is now stopped (was active)',
      'it was renamed to web-server-02',
    ]);
  });

  it('notices any other update by its time', () => {
    expect(changesSince(asked, makeServer({ updated_at: '2025-02-01T00:00:00Z' }))).toEqual([
      'it was updated at 2025-02-01T00:00:00Z',
    ]);
  });
});

describe('paramsOf and serverIdOf', () => {
  it('keeps the parameters, without the action and the server id', () => {
    expect(paramsOf({ action: 'stop', serverId: ID })).toEqual({});
    expect(paramsOf({ action: 'rename', serverId: ID, name: 'web-02' })).toEqual({ name: 'web-02' });
    expect(paramsOf({ action: 'hostname', hostname: 'a.example.com' })).toEqual({
      hostname: 'a.example.com',
    });
    expect(paramsOf({ action: 'backups', serverId: ID, enabled: false })).toEqual({ enabled: false });
    const input = { name: 'x', plan_id: 1, os_id: 5, location: 'us-west' };
    expect(paramsOf({ action: 'create', input })).toEqual({ input });
  });

  it('knows the server a request is about', () => {
    expect(serverIdOf({ action: 'stop', serverId: ID })).toBe(ID);
    expect(serverIdOf({ action: 'create', input: { name: 'x', plan_id: 1, os_id: 1, location: 'l' } })).toBe(
      undefined,
    );
  });
});

describe('catalogueOf', () => {
  it('is empty for no servers', () => {
    expect(catalogueOf([])).toEqual({ plans: [], systems: [], locations: [] });
  });

  it('collects plans by id, systems by name and locations, each once, sorted', () => {
    const catalogue = catalogueOf([
      makeListServer({ id: 1, location: 'us-west' }),
      makeServer({ id: 2, location: 'eu-central' }),
      makeServer({
        id: 3,
        location: 'us-west',
        plan: { id: 3, name: 'Starter VPS', vcpus: 1, memory: 2048, storage: 40 },
        os: { id: 3, name: 'Debian 12' },
      }),
      makeListServer({ id: 4, location: 'us-east' }),
    ]);
    expect(catalogue.plans.map((p) => p.id)).toEqual([1, 3]);
    expect(catalogue.systems).toEqual([
      { id: 3, name: 'Debian 12' },
      { id: 5, name: 'Ubuntu 22.04 LTS' },
    ]);
    expect(catalogue.locations).toEqual(['eu-central', 'us-east', 'us-west']);
  });

  it('keeps the fullest description of a plan, whichever view came first', () => {
    const detailed = makeServer({ id: 2 });
    for (const servers of [
      [makeListServer({ id: 1 }), detailed, makeListServer({ id: 3 })],
      [detailed, makeListServer({ id: 1 })],
    ]) {
      expect(catalogueOf(servers).plans).toEqual([detailed.plan]);
      expect(catalogueOf(servers).plans[0]?.bandwidth).toBe(2048);
    }
  });
});
