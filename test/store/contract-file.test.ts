import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/log.js';
import { FileStore } from '../../src/store/file.js';
import { MemoryStore } from '../../src/store/memory.js';
import { storeContract } from './contract.js';

storeContract('FileStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vps-bot-contract-'));
  const store = await FileStore.open(dir, createLogger({ level: 'error', secrets: [] }));
  return {
    store,
    // One process per state directory: its only other handle is itself.
    peer: store,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

storeContract('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, peer: store, close: () => store.close() };
});
