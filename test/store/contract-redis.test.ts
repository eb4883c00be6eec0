import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createLogger } from '../../src/log.js';
import { RedisStore } from '../../src/store/redis.js';
import { RedisServer } from '../redis/server.js';
import { storeContract } from './contract.js';

let server: RedisServer;
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(() => server?.close());

storeContract('RedisStore', async () => {
  const admin = new Redis(server.url());
  await admin.flushdb();
  await admin.quit();
  const logger = createLogger({ level: 'error', secrets: [] });
  // Two connections, as two replicas have.
  const [store, peer] = await Promise.all([
    RedisStore.open(server.url(), logger),
    RedisStore.open(server.url(), logger),
  ]);
  return {
    store,
    peer,
    async close() {
      await Promise.all([store.close(), peer.close()]);
    },
  };
});
