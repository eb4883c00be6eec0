import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { errorFields, type Logger } from '../log.js';

export class StateDirInUseError extends Error {}

/** A holder refreshes its lock this often; a lock not refreshed for STALE_MS is a dead holder's. */
const REFRESH_MS = 1000;
export const LOCK_STALE_MS = 5000;

/**
 * One bot process per state directory: two writing the same files would lose changes. The lock is
 * a directory whose time a live holder refreshes every second, so a lock goes stale by itself when
 * its holder dies, however it died: no pid is trusted (after a power loss or in a container, the
 * pid in an old lock may belong to another process). A start right after a crash waits for the
 * dead holder's lock to go stale, at most a few seconds.
 */
export async function lockStateDir(
  dir: string,
  logger: Logger,
  waitMs = LOCK_STALE_MS + REFRESH_MS,
): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dir, {
      lockfilePath: join(dir, 'bot.lock'),
      realpath: false,
      stale: LOCK_STALE_MS,
      update: REFRESH_MS,
      // Long enough to outwait a crashed holder's lock, short enough to fail a start clearly.
      retries: {
        retries: Math.ceil(waitMs / 500),
        factor: 1,
        minTimeout: 500,
        maxTimeout: 500,
      },
      onCompromised: (error) =>
        logger.error(
          errorFields(error),
          'the state directory lock was lost (the bot stalled or the directory changed): another bot may now use STATE_DIR',
        ),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new StateDirInUseError(
        'the state directory is in use by another vps-bot (its lock is held and refreshed)',
      );
    }
    throw error;
  }
}
