import { describe, expect, it } from 'vitest';
import { AccessPolicy, type GroupDirectory } from '../../src/service/access.js';
import { collectLogger } from './helpers.js';

/** A user-group directory with a call log, whose groups and failures a test sets. */
class Directory implements GroupDirectory {
  readonly calls: string[] = [];
  failing = false;
  /** An answer of the wrong shape, as a broken directory might give. */
  malformed = false;

  constructor(readonly groups: Record<string, string[]>) {}

  async members(groupId: string): Promise<readonly string[]> {
    this.calls.push(groupId);
    if (this.failing) throw new Error('usergroups.users.list failed: ratelimited');
    // Deliberately not a list of IDs.
    if (this.malformed) return 42 as unknown as readonly string[];
    return this.groups[groupId] ?? [];
  }
}

function setup(operators: string[] | undefined, groups: Record<string, string[]> = {}, ttlMs = 60_000) {
  const clock = { now: 1_000_000 };
  const directory = new Directory(groups);
  const log = collectLogger();
  const access = new AccessPolicy({
    operators,
    groups: directory,
    logger: log.logger,
    now: () => clock.now,
    groupTtlMs: ttlMs,
  });
  return { clock, directory, access, log };
}

describe('AccessPolicy', () => {
  it('lets everyone change servers when no operators are set, without asking the directory', async () => {
    const { access, directory } = setup(undefined, { S1: [] });
    expect(access.open).toBe(true);
    expect(await access.mayChange('U0ANYONE')).toBe(true);
    expect(await access.mayChange('W0ANYONE')).toBe(true);
    expect(directory.calls).toEqual([]);
  });

  it('lets listed users change servers and nobody else', async () => {
    const { access, directory } = setup(['U0ALICE', 'W0BOB']);
    expect(access.open).toBe(false);
    expect(await access.mayChange('U0ALICE')).toBe(true);
    expect(await access.mayChange('W0BOB')).toBe(true);
    expect(await access.mayChange('U0MALLORY')).toBe(false);
    expect(directory.calls).toEqual([]);
  });

  it('lets nobody change servers when the list is empty', async () => {
    const { access } = setup([]);
    expect(await access.mayChange('U0ALICE')).toBe(false);
  });

  it('lets members of a listed user group change servers', async () => {
    const { access, directory } = setup(['U0ALICE', 'S0OPS', 'S0SRE'], {
      S0OPS: ['U0CAROL'],
      S0SRE: ['U0DAVE'],
    });
    expect(await access.mayChange('U0CAROL')).toBe(true);
    expect(await access.mayChange('U0DAVE')).toBe(true);
    expect(await access.mayChange('U0MALLORY')).toBe(false);
    // A listed user needs no directory at all.
    expect(await access.mayChange('U0ALICE')).toBe(true);
    expect(directory.calls.sort()).toEqual(['S0OPS', 'S0SRE']);
  });

  it('trusts a group for its TTL, then looks it up again', async () => {
    const { access, directory, clock } = setup(['S0OPS'], { S0OPS: ['U0CAROL'] }, 60_000);
    expect(await access.mayChange('U0CAROL')).toBe(true);
    clock.now += 30_000;
    expect(await access.mayChange('U0CAROL')).toBe(true);
    expect(await access.mayChange('U0MALLORY')).toBe(false);
    clock.now += 29_999;
    expect(await access.mayChange('U0CAROL')).toBe(true);
    expect(directory.calls).toEqual(['S0OPS']);

    // Carol leaves the group: it shows once the TTL is over.
    directory.groups.S0OPS = ['U0MALLORY'];
    clock.now += 1;
    expect(await access.mayChange('U0CAROL')).toBe(false);
    expect(await access.mayChange('U0MALLORY')).toBe(true);
    expect(directory.calls).toEqual(['S0OPS', 'S0OPS']);
  });

  it('asks the directory once for concurrent checks', async () => {
    const { access, directory } = setup(['S0OPS'], { S0OPS: ['U0CAROL'] });
    const answers = await Promise.all(Array.from({ length: 10 }, () => access.mayChange('U0CAROL')));
    expect(answers).toEqual(Array(10).fill(true));
    expect(directory.calls).toEqual(['S0OPS']);
  });

  it('refuses when the directory fails, logs a warning, and asks again next time', async () => {
    const { access, directory, log } = setup(['S0OPS'], { S0OPS: ['U0CAROL'] });
    directory.failing = true;
    expect(await access.mayChange('U0CAROL')).toBe(false);
    const warnings = log.records().filter((r) => r.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('S0OPS');

    directory.failing = false;
    expect(await access.mayChange('U0CAROL')).toBe(true);
    expect(directory.calls).toEqual(['S0OPS', 'S0OPS']);
  });

  it('refuses on a malformed directory answer without caching it, and asks again next time', async () => {
    const { access, directory, log } = setup(['S0OPS'], { S0OPS: ['U0CAROL'] });
    directory.malformed = true;
    expect(await access.mayChange('U0CAROL')).toBe(false);
    expect(log.records().filter((r) => r.level === 'warn')).toHaveLength(1);
    directory.malformed = false;
    expect(await access.mayChange('U0CAROL')).toBe(true);
    expect(directory.calls).toEqual(['S0OPS', 'S0OPS']);
  });
});
