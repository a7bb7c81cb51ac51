/**
 * A cross-process lock file for a berth root: created exclusively with the holder's
 * pid; a lock whose holder no longer runs is taken over. Serialises image-store
 * updates (tagging, import commits, garbage collection) between berth processes.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { BerthError } from '../errors.js';
import type { StoreLock } from '../images/image-store.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A StoreLock on the file `path`; waits up to `timeoutMs` for another holder. */
export function fileLock(path: string, timeoutMs = 60_000): StoreLock {
  return async (fn) => {
    const deadline = Date.now() + timeoutMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
      try {
        const fh = await open(path, 'wx');
        await fh.writeFile(`${process.pid}\n`);
        await fh.close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && !alive(holder)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new BerthError(`the image store is locked by process ${holder} (${path})`);
      await sleep(wait);
    }
    try {
      return await fn();
    } finally {
      await rm(path, { force: true });
    }
  };
}
