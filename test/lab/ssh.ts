import { KEY_PATH } from './config';
import { run, type RunResult } from './exec';

/** Options for the lab's own checks only: hosts get fresh host keys every boot, so nothing is pinned. */
export function sshArgs(keyPath = KEY_PATH, connectTimeoutS = 3): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    keyPath,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'LogLevel=ERROR',
    '-o',
    `ConnectTimeout=${connectTimeoutS}`,
  ];
}

/** Runs a shell command on a lab host as user (root by default) with the lab key, `input` on its stdin. */
export function labSsh(
  address: string,
  command: string,
  { user = 'root', timeoutMs = 60_000, input }: { user?: string; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  return run('ssh', [...sshArgs(), `${user}@${address}`, command], { timeoutMs, ...(input !== undefined ? { input } : {}) });
}

/** running or degraded once boot has finished; starting/initializing before; undefined when SSH does not answer. */
export async function systemState(address: string): Promise<string | undefined> {
  const res = await labSsh(address, 'systemctl is-system-running', { timeoutMs: 8_000 });
  const state = res.stdout.trim();
  return res.code === 255 || state === '' ? undefined : state;
}
