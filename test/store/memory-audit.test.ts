import { expect, it } from 'vitest';
import type { AuditEntry } from '../../src/records.js';
import { AUDIT_TRAILS_KEPT, MemoryStore } from '../../src/store/memory.js';

const refused = (serverName: string): AuditEntry => ({
  time: new Date().toISOString(),
  user: 'U0NOTOPER',
  action: 'stop',
  serverName,
  params: {},
  outcome: 'forbidden',
});

it('keeps the trails of the names written to most recently, not every name ever typed', async () => {
  const store = new MemoryStore();
  await store.appendAudit(refused('typed-0'));
  await store.appendAudit(refused('typed-1'));
  // typed-0 is written again: it is now the newest, and typed-1 the oldest.
  await store.appendAudit(refused('typed-0'));
  for (let i = 2; i < AUDIT_TRAILS_KEPT; i++) await store.appendAudit(refused(`typed-${i}`));
  await store.appendAudit(refused('one-too-many'));

  const trail = (name: string) => store.auditTrail({ id: 999_999, name }, 50);
  expect(await trail('typed-1')).toEqual([]);
  expect(await trail('typed-0')).toHaveLength(2);
  expect(await trail('typed-2')).toHaveLength(1);
  expect(await trail('one-too-many')).toHaveLength(1);
});
