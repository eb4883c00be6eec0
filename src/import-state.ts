/**
 * `npm run import-state -- <STATE_DIR>`: copies a file store into the Redis of REDIS_URL (from the
 * environment or .env), once, before replicas are started on it. The bot must not be running on
 * STATE_DIR (its lock is taken) and the Redis database must hold no vps-bot state yet.
 */
import { config as readDotenv } from 'dotenv';
import { z } from 'zod';
import { createLogger, errorFields } from './log.js';
import { parseSettings, redisSecrets, redisUrl } from './settings-rules.js';
import { FileStore } from './store/file.js';
import { importState } from './store/import-state.js';
import { RedisStore } from './store/redis.js';

readDotenv({ quiet: true });

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run import-state -- <STATE_DIR>   (with REDIS_URL set)');
  process.exit(2);
}
let url: string | undefined;
try {
  url = parseSettings(z.object({ REDIS_URL: redisUrl() }), process.env).REDIS_URL;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
if (url === undefined) {
  console.error('REDIS_URL: is required: the Redis to import into, redis://[user:password@]host:port[/db]');
  process.exit(2);
}

const logger = createLogger({ level: 'info', secrets: redisSecrets(url) });
let code = 0;
const redis = await RedisStore.open(url, logger);
try {
  if (!redis.healthy) throw new Error('the Redis of REDIS_URL is unreachable');
  const store = await FileStore.open(dir, logger);
  try {
    const counts = await importState({ store, dir }, redis, logger);
    logger.info({ ...counts, from: dir }, 'imported STATE_DIR into Redis');
  } finally {
    await store.close();
  }
} catch (error) {
  logger.error({ ...errorFields(error), from: dir }, 'import-state failed');
  code = 1;
} finally {
  await redis.close();
}
process.exit(code);
