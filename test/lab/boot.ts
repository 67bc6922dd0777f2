import { readFileSync } from 'node:fs';
import { progress, waitFor } from './exec';
import { pidAlive } from './host-process';
import { labSsh, systemState } from './ssh';
import type { HostRecord } from './state';

const BOOT_TIMEOUT_MS = 180_000;

function logTail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const isBooted = (state: string | undefined): boolean => state === 'running' || state === 'degraded';

/** Waits until SSH answers and systemd reports boot finished (running or degraded). */
export async function waitBooted(host: HostRecord): Promise<void> {
  let last: string | undefined;
  try {
    await waitFor(
      `${host.name} (${host.address}) to boot`,
      BOOT_TIMEOUT_MS,
      async () => {
        if (!pidAlive(host.pid)) throw new Error(`lab: ${host.name} exited while booting`);
        last = await systemState(host.address);
        return isBooted(last) ? true : undefined;
      },
      500,
    );
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${why} (last state: ${last ?? 'ssh not answering'}); console log ${host.log}:\n${logTail(host.log)}`, { cause: err });
  }
  if (last === 'degraded') {
    const failed = await labSsh(host.address, 'systemctl --failed --no-legend --plain | cut -d" " -f1');
    progress(`${host.name} booted degraded; failed units: ${failed.stdout.trim().split('\n').join(', ')}`);
  }
}
