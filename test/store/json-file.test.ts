import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../src/log.js';
import { JsonFile } from '../../src/store/json-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vps-bot-json-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('rejects a save whose value cannot be serialised, and the next save still writes', async () => {
  const file = new JsonFile(join(dir, 'x.json'), z.unknown(), createLogger({ level: 'error', secrets: [] }));
  let value: unknown = { count: 1n };
  file.track(() => value);
  await expect(file.save()).rejects.toThrow(/BigInt/);
  value = { count: 2 };
  await file.save();
  expect(JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8'))).toEqual({ count: 2 });
});

it('rejects a save queued behind a write under way when its value cannot be serialised', async () => {
  const file = new JsonFile(join(dir, 'y.json'), z.unknown(), createLogger({ level: 'error', secrets: [] }));
  let value: unknown = { ok: true };
  file.track(() => value);
  const first = file.save();
  const second = file.save();
  value = { broken: 1n };
  await first;
  await expect(second).rejects.toThrow(/BigInt/);
  value = { ok: 'again' };
  await file.save();
  expect(JSON.parse(readFileSync(join(dir, 'y.json'), 'utf8'))).toEqual({ ok: 'again' });
});
