// A process that writes to a FileStore as fast as it can, for the kill -9 test. Not a test itself.
import { createLogger } from '../../src/log.js';
import { FileStore } from '../../src/store/file.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: writer.ts <dir>');
const store = await FileStore.open(dir, createLogger({ level: 'error', secrets: [] }));
const padding = 'x'.repeat(2000);
for (let i = 0; ; i++) {
  const now = Date.now();
  await Promise.all([
    store.saveConfirmation({
      id: `c${i}`,
      userId: 'U1',
      request: { action: 'stop', serverId: 1 + (i % 50) },
      server: { id: 1, name: padding, status: 'active', updatedAt: 'x' },
      actor: { userId: 'U1' },
      createdAt: now,
      expiresAt: now + 600_000,
    }),
    store.saveFleetState({
      snapshot: Object.fromEntries(
        Array.from({ length: 500 }, (_, n) => [String(n + 1), { name: `s${n}`, status: 'active' }]),
      ),
      recent: {},
      summaries: {},
      outbox: [],
    }),
    store.appendAudit({
      time: new Date(now).toISOString(),
      user: 'U1',
      action: 'stop',
      serverId: 1,
      params: { i },
      outcome: 'ok',
    }),
  ]);
  if (i === 20) process.stdout.write('writing\n');
}
