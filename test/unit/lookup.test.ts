import { beforeAll, describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import { lookupServer, nearest } from '../../src/service/lookup.js';
import type { VpsClient } from '../../src/vps/client.js';
import { VpsError } from '../../src/vps/errors.js';
import { useSimulator } from './helpers.js';

const { sim, vps: client } = useSimulator();
let vps: VpsClient;
beforeAll(() => {
  vps = client();
});

function requests(): string[] {
  return sim.requests.map((r) => `${r.method} ${r.path}`);
}

describe('lookupServer', () => {
  it('finds a server by id with one GET of that server, in the detailed view', async () => {
    const found = await lookupServer(vps, '12345');
    expect(found.kind).toBe('found');
    expect(found.kind === 'found' && found.server).toMatchObject({
      id: 12345,
      name: 'web-server-01',
      ipv6_address: '2001:0db8::1',
      backups_enabled: true,
    });
    expect(requests()).toEqual(['GET /api/v1/servers/12345/']);
  });

  it('finds a server by its exact name', async () => {
    const found = await lookupServer(vps, 'db-server-01');
    expect(found.kind === 'found' && found.server.id).toBe(12346);
    expect(requests()).toEqual(['GET /api/v1/servers/']);
  });

  it('finds a server by its exact hostname, surrounding blanks ignored', async () => {
    const found = await lookupServer(vps, '  staging01.example.com ');
    expect(found.kind === 'found' && found.server.id).toBe(12347);
  });

  it('falls back to names when an all-digit name is no server id', async () => {
    const added = sim.addServer({ name: '2024', hostname: 'y2024.example.com' });
    expect(added.id).not.toBe(2024);
    const found = await lookupServer(vps, '2024');
    expect(found.kind === 'found' && found.server.id).toBe(added.id);
    expect(requests()).toEqual(['GET /api/v1/servers/2024/', 'GET /api/v1/servers/']);
  });

  it('prefers the id when a number is both an id and a name', async () => {
    sim.addServer({ name: '12346' });
    const found = await lookupServer(vps, '12346');
    expect(found.kind === 'found' && found.server.name).toBe('db-server-01');
  });

  it('answers ambiguous, with every match, when two servers share a name', async () => {
    const twin = sim.addServer({ name: 'web-server-01', hostname: 'web01b.example.com' });
    const found = await lookupServer(vps, 'web-server-01');
    expect(found.kind).toBe('ambiguous');
    if (found.kind !== 'ambiguous') return;
    expect(found.ref).toBe('web-server-01');
    expect(found.matches.map((s) => s.id).sort()).toEqual([12345, twin.id]);
  });

  it('answers ambiguous when a name of one is the hostname of another', async () => {
    const other = sim.addServer({ name: 'web01.example.com', hostname: 'other.example.com' });
    const found = await lookupServer(vps, 'web01.example.com');
    expect(found.kind === 'ambiguous' && found.matches.map((s) => s.id).sort()).toEqual([12345, other.id]);
  });

  it('answers missing with the nearest names', async () => {
    const found = await lookupServer(vps, 'web-server-1');
    expect(found.kind).toBe('missing');
    if (found.kind !== 'missing') return;
    expect(found.ref).toBe('web-server-1');
    expect(found.suggestions[0]).toBe('web-server-01');
    expect(found.suggestions.length).toBeLessThanOrEqual(3);
  });

  it('is exact: another case is missing, with the right suggestion', async () => {
    const found = await lookupServer(vps, 'Web-Server-01');
    expect(found.kind === 'missing' && found.suggestions[0]).toBe('web-server-01');
  });

  it('answers missing with no suggestion when nothing is near', async () => {
    const found = await lookupServer(vps, 'completely-unrelated-thing');
    expect(found).toEqual({ kind: 'missing', ref: 'completely-unrelated-thing', suggestions: [] });
  });

  it('answers missing for an unknown id, and 0 is no id', async () => {
    expect((await lookupServer(vps, '99999')).kind).toBe('missing');
    sim.clearRequests();
    expect((await lookupServer(vps, '0')).kind).toBe('missing');
    expect(requests()).toEqual(['GET /api/v1/servers/']);
  });

  it('passes other failures on as they are', async () => {
    sim.fault({ method: 'GET', path: '/api/v1/servers/12345/', status: 401 });
    const error = await lookupServer(vps, '12345').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VpsError);
    expect((error as VpsError).kind).toBe('unauthorized');
    sim.fault({ method: 'GET', path: '/api/v1/servers/', status: 402 });
    const listError = await lookupServer(vps, 'web-server-01').catch((e: unknown) => e);
    expect((listError as VpsError).kind).toBe('payment_required');
  });
});

describe('nearest', () => {
  const names = ['web-server-01', 'web-server-02', 'db-server-01', 'staging-01'];

  it('orders the closest first, at most max', () => {
    expect(nearest('web-server-03', names)).toEqual(['web-server-01', 'web-server-02', 'db-server-01']);
    expect(nearest('web-server-03', names, 1)).toEqual(['web-server-01']);
    expect(nearest('stagin-01', names)).toEqual(['staging-01']);
  });

  it('counts a part of a name as near, case-insensitively', () => {
    expect(nearest('STAGING', names)).toEqual(['staging-01']);
  });

  it('finds nothing when nothing is close, and drops duplicates', () => {
    expect(nearest('zzzzzzzz', names)).toEqual([]);
    expect(nearest('web-server-01', ['web-server-01', 'web-server-01'])).toEqual(['web-server-01']);
    expect(nearest('x', [])).toEqual([]);
  });

  it('counts a swap of two letters as one slip', () => {
    expect(nearest('lsit', ['edit', 'help', 'list', 'show'], 1)).toEqual(['list']);
    expect(nearest('sotp', ['stop', 'show', 'edit'], 1)).toEqual(['stop']);
  });

  it('suggests nothing for a word longer than any name, at no cost (a 5,000-character word used to kill the bot)', () => {
    const huge = 'x'.repeat(5000);
    expect(nearest(huge, ['help', 'list', 'show', `${huge}y`])).toEqual([]);
    expect(nearest(`list${'x'.repeat(INPUT_LIMITS.suggestWord)}`, ['list'])).toEqual([]);
    const longest = `web-server-${'1'.repeat(INPUT_LIMITS.suggestWord - 12)}`;
    expect(nearest(`${longest}x`.slice(1), [longest])).toEqual([longest]);
  });

  it('looks at the first candidates only, however large the fleet', () => {
    const fleet = Array.from({ length: 10_000 }, (_, i) => `server-${String(i).padStart(5, '0')}`);
    const first = fleet[INPUT_LIMITS.suggestCandidates - 1] as string;
    const beyond = fleet[INPUT_LIMITS.suggestCandidates] as string;
    expect(nearest(`${first}x`, fleet, 1)).toEqual([first]);
    expect(nearest(`${beyond}x`, fleet).includes(beyond)).toBe(false);
  });

  it('skips candidates whose length alone puts them too far, but still finds a part of a name', () => {
    expect(nearest('web', ['web-server-01-in-the-long-named-rack'])).toEqual([
      'web-server-01-in-the-long-named-rack',
    ]);
    expect(nearest('abcdefghij', ['abcdefghijklmnop'])).toEqual(['abcdefghijklmnop']);
    expect(nearest('abcdefghij', ['abxdefghijklmnop'])).toEqual([]);
  });
});
