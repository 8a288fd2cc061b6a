// An exclusive lock on the embedded database folder, so a second process cannot open (and corrupt)
// it. The lock file holds the owner's pid; a lock left by a dead process is reported as such so the
// caller can check the store after an unclean stop. It must not delete a live process's lock.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class FolderLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(`the data folder ${folder} is in use by process ${pid}; stop it first (PGlite allows one process)`);
  }
}

export interface FolderLock {
  /** True when the previous owner died without releasing the lock (a crash or kill). */
  readonly previousOwnerDied: boolean;
  release(): void;
}

/** True when process `pid` exists (also when it belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFolder(folder: string): FolderLock {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'hoso.lock');
  let previousOwnerDied = false;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        previousOwnerDied,
        release: () => rmSync(path, { force: true }),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new FolderLockedError(folder, pid);
      }
      previousOwnerDied = true;
      rmSync(path, { force: true });
    }
  }
  throw new FolderLockedError(folder, -1);
}
