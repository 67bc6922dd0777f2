import { mkdirSync, openSync, closeSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LOCK_FILE } from './config';
import { progress, sleep } from './exec';

let chain: Promise<unknown> = Promise.resolve();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tryAcquire(): boolean {
  mkdirSync(dirname(LOCK_FILE), { recursive: true });
  try {
    const fd = openSync(LOCK_FILE, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const raw = readFileSync(LOCK_FILE, 'utf8').trim();
  // An empty file is a lock being written right now, unless it has stayed empty for a while.
  if (raw === '' && Date.now() - statSync(LOCK_FILE).mtimeMs < 5000) return false;
  const owner = Number(raw);
  if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
    rmSync(LOCK_FILE, { force: true });
    return tryAcquire();
  }
  return false;
}

/**
 * Runs fn while holding the lab lock, so test files in other processes calling labUp/labDown take turns
 * instead of building the image twice or tearing down a lab being booted.
 */
export function withLabLock<T>(fn: () => Promise<T>): Promise<T> {
  const next = chain.then(async () => {
    let told = false;
    while (!tryAcquire()) {
      if (!told) progress('waiting for another process using the lab…');
      told = true;
      await sleep(500);
    }
    try {
      return await fn();
    } finally {
      rmSync(LOCK_FILE, { force: true });
    }
  });
  chain = next.catch(() => undefined);
  return next;
}
