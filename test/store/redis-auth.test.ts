import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import { redisSecrets } from '../../src/settings-rules.js';
import { RedisStore } from '../../src/store/redis.js';
import { RedisServer } from '../redis/server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start({ password: 'right-password-1' });
});
afterAll(() => redis?.close());

describe('a Redis that refuses the password', () => {
  it('is said once at error, naming REDIS_URL, never with the password', async () => {
    const url = `redis://:wrong-password-2@127.0.0.1:${redis.port}`;
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', secrets: redisSecrets(url), write: (l) => lines.push(l) });
    const store = await RedisStore.open(url, logger, 0);
    try {
      await vi.waitFor(() => expect(lines.join('')).toContain('check the user and password in REDIS_URL'), {
        timeout: 5000,
        interval: 20,
      });
      expect(store.healthy).toBe(false);
      // Reconnects later (each refused again, at debug), still said once at error.
      await vi.waitFor(
        () =>
          expect(
            lines.filter((l) => /connection error.*|WRONGPASS/.test(l) && /"debug"/.test(l)).length,
          ).toBeGreaterThanOrEqual(2),
        { timeout: 5000, interval: 20 },
      );
      const text = lines.join('');
      expect(text).not.toContain('wrong-password-2');
      expect(text.match(/check the user and password/g)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
