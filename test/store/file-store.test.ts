import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { AuditEntry, Confirmation } from '../../src/records.js';
import { FileStore } from '../../src/store/file.js';
import { StateDirInUseError } from '../../src/store/lock.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let lines: string[];
const logger = () => createLogger({ level: 'debug', secrets: [], write: (line) => lines.push(line) });
const open = () => FileStore.open(dir, logger());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vps-bot-store-'));
  lines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function confirmation(id: string, at = Date.now()): Confirmation {
  return {
    id,
    userId: 'U0ALICE',
    request: { action: 'reboot', serverId: 12345 },
    server: { id: 12345, name: 'web-server-01', status: 'active', updatedAt: '2025-01-15T10:20:00Z' },
    actor: { userId: 'U0ALICE', channelId: 'C0GENERAL', replyUrl: 'http://127.0.0.1/r/1' },
    createdAt: at,
    expiresAt: at + 600_000,
  };
}

function audit(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    user: 'U0ALICE',
    action: 'stop',
    serverId: 12345,
    serverName: 'web-server-01',
    params: { i },
    outcome: 'ok',
    ...extra,
  };
}

describe('FileStore', () => {
  it('keeps everything across a close and a reopen', async () => {
    const store = await open();
    await store.saveConfirmation(confirmation('a'));
    await store.saveConfirmation(confirmation('b'));
    expect((await store.redeemConfirmation('b', 'U0ALICE', Date.now())).kind).toBe('ok');
    await store.saveTracked({
      serverId: 12345,
      serverName: 'web-server-01',
      action: 'create',
      actor: { userId: 'U0ALICE' },
      startedAt: 1,
      status: 'provisioning',
      card: { channel: 'C0GENERAL', ts: '1.000100', headline: 'h' },
    });
    await store.addSubscription({ channelId: 'C0OPS', serverId: 'all', by: 'U0ALICE', at: 'now' });
    await store.addSubscription({
      channelId: 'C0DB',
      serverId: 12346,
      serverName: 'db',
      by: 'U0ALICE',
      at: 'now',
    });
    await store.saveFleetState({
      snapshot: { '12345': { name: 'web-server-01', status: 'active' } },
      recent: {},
      summaries: {},
      outbox: [
        {
          id: 'd1',
          channel: 'C0OPS',
          notice: { kind: 'appeared', serverId: 1, name: 'x', status: 'active', at: 1 },
        },
      ],
    });
    for (let i = 0; i < 3; i++) await store.appendAudit(audit(i));
    await store.appendAudit(
      audit(9, { serverId: undefined, serverName: 'web-server-01', outcome: 'forbidden' }),
    );
    await store.close();

    const again = await open();
    expect(await again.getConfirmation('a')).toEqual(
      confirmation('a', (await again.getConfirmation('a'))?.createdAt),
    );
    expect((await again.redeemConfirmation('b', 'U0ALICE', Date.now())).kind).toBe('used');
    expect((await again.redeemConfirmation('a', 'U0ALICE', Date.now())).kind).toBe('ok');
    expect(await again.trackedChanges()).toMatchObject([{ serverId: 12345, card: { ts: '1.000100' } }]);
    expect((await again.subscriptions()).map((s) => `${s.channelId}:${s.serverId}`)).toEqual([
      'C0OPS:all',
      'C0DB:12346',
    ]);
    expect((await again.fleetState()).outbox).toHaveLength(1);
    const trail = await again.auditTrail({ id: 12345, name: 'web-server-01' }, 20);
    expect(trail.map((e) => e.params.i)).toEqual([9, 2, 1, 0]);
    await again.close();
  });

  it('serialises concurrent writes: none is lost, the file is always whole', async () => {
    const store = await open();
    await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => store.saveConfirmation(confirmation(`c${i}`))),
      ...Array.from({ length: 50 }, (_, i) =>
        store.saveTracked({
          serverId: i + 1,
          serverName: `s${i}`,
          action: 'start',
          actor: { userId: 'U1' },
          startedAt: i,
          status: 'starting',
        }),
      ),
      ...Array.from({ length: 100 }, (_, i) => store.appendAudit(audit(i))),
    ]);
    const redeems = await Promise.all(
      Array.from({ length: 20 }, () => store.redeemConfirmation('c7', 'U0ALICE', Date.now())),
    );
    expect(redeems.filter((r) => r.kind === 'ok')).toHaveLength(1);
    JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    await store.close();
    const again = await open();
    for (let i = 0; i < 200; i++) expect(await again.getConfirmation(`c${i}`)).toBeDefined();
    expect(await again.trackedChanges()).toHaveLength(50);
    expect((await again.auditTrail({ id: 12345 }, 200)).length).toBe(50);
    expect((await again.redeemConfirmation('c7', 'U0ALICE', Date.now())).kind).toBe('used');
    await again.close();
  });

  // Each reopen after a kill -9 waits for the dead writer's lock to go stale (LOCK_STALE_MS).
  it('leaves no torn file behind when killed (kill -9) in the middle of writing', {
    timeout: 60_000,
  }, async () => {
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/store/writer.ts'), dir], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      await new Promise<void>((ready, failed) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('writing') && ready());
        child.on('exit', (code) => failed(new Error(`writer exited early (${code})`)));
      });
      const exited = new Promise((done) => child.on('exit', done));
      child.kill('SIGKILL');
      await exited;
      const store = await open();
      expect(await store.getConfirmation('c1')).toBeDefined();
      expect(Object.keys((await store.fleetState()).snapshot ?? {})).toHaveLength(500);
      await store.close();
      expect(readdirSync(dir).filter((name) => name.includes('corrupt'))).toEqual([]);
      expect(lines.join('')).not.toContain('skipped unreadable audit lines');
    }
  });

  it('sets a corrupt state file aside, says so, and starts fresh', async () => {
    writeFileSync(join(dir, 'state.json'), '{"version": 1, "confirmations": {');
    writeFileSync(join(dir, 'fleet.json'), JSON.stringify({ snapshot: 'not a snapshot' }));
    const store = await open();
    expect(await store.subscriptions()).toEqual([]);
    expect((await store.fleetState()).snapshot).toBeUndefined();
    const aside = readdirSync(dir).filter((name) => name.includes('.corrupt-'));
    expect(aside).toHaveLength(2);
    const stateAside = aside.find((name) => name.startsWith('state.json'));
    expect(readFileSync(join(dir, stateAside ?? ''), 'utf8')).toBe('{"version": 1, "confirmations": {');
    const errors = lines.map((line) => JSON.parse(line)).filter((line) => line.level === 'error');
    expect(errors.map((e) => e.msg)).toEqual([
      'state file set aside: it is not valid JSON; starting fresh',
      'state file set aside: it does not have the expected shape (at snapshot); starting fresh',
    ]);
    // And it works on from the fresh start.
    await store.addSubscription({ channelId: 'C1', serverId: 'all', by: 'U1', at: 'now' });
    await store.close();
    expect(await (await open()).subscriptions()).toHaveLength(1);
  });

  it('skips a torn audit line, and the next entry starts on its own line', async () => {
    writeFileSync(join(dir, 'audit.jsonl'), `${JSON.stringify(audit(1))}\n{"time":"2026-01-01T00:00:0`);
    const store = await open();
    expect(await store.auditTrail({ id: 12345 }, 10)).toHaveLength(1);
    expect(lines.join('')).toContain('skipped unreadable audit lines');
    await store.appendAudit(audit(2));
    await store.close();
    const again = await open();
    expect((await again.auditTrail({ id: 12345 }, 10)).map((e) => e.params.i)).toEqual([2, 1]);
    await again.close();
  });

  it('refuses a state directory a live bot holds, and frees it on close', async () => {
    const holder = await open();
    await expect(FileStore.open(dir, logger(), Date.now(), { lockWaitMs: 0 })).rejects.toBeInstanceOf(
      StateDirInUseError,
    );
    await holder.close();
    expect(readdirSync(dir)).not.toContain('bot.lock');
    const next = await FileStore.open(dir, logger(), Date.now(), { lockWaitMs: 0 });
    await next.close();
  });

  it('takes over a dead bot’s lock even when its pid now belongs to another live process', async () => {
    // What a bot killed by a power cut leaves: its lock, and the pid it ran as, which another
    // process (here: a live one) may hold after the restart.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'lock'), String(other.pid));
      mkdirSync(join(dir, 'bot.lock'));
      const longAgo = new Date(Date.now() - 60_000);
      utimesSync(join(dir, 'bot.lock'), longAgo, longAgo);
      const store = await FileStore.open(dir, logger(), Date.now(), { lockWaitMs: 0 });
      await store.close();
    } finally {
      const gone = new Promise((done) => other.on('exit', done));
      other.kill('SIGKILL');
      await gone;
    }
  });
});
