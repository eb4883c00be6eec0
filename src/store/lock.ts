import { readFile, rm, writeFile } from 'node:fs/promises';

export class StateDirInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One bot process per state directory: two writing the same files would lose changes. A lock left
 * by a killed process (its pid no longer runs) is taken over.
 */
export async function lockStateDir(path: string): Promise<() => Promise<void>> {
  try {
    await writeFile(path, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new StateDirInUseError(`the state directory is in use by another vps-bot (pid ${holder})`);
    }
    await writeFile(path, String(process.pid));
  }
  return () => rm(path, { force: true });
}
