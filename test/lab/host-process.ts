import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { hostCgroups } from './cgroups';
import { BRIDGE, HOSTS_DIR, NETNS_PATH } from './config';
import { run, sleep, waitFor, type RunResult } from './exec';
import type { HostFs } from './host-fs';

/** systemd powers off cleanly on SIGRTMIN+4 (glibc's SIGRTMIN is 34). */
const SIGRTMIN_PLUS_4 = 38;

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** True when pid is still the systemd-nspawn we started for this merged dir (not a recycled pid). */
export function isNspawnFor(pid: number, merged: string): boolean {
  const args = cmdline(pid);
  return args.some((a) => a.endsWith('systemd-nspawn')) && args.includes(merged);
}

/** Every systemd-nspawn running a lab host, found from /proc so a lost state file cannot leak containers. */
export function labNspawnPids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      const args = cmdline(pid);
      return args.some((a) => a.endsWith('systemd-nspawn')) && args.some((a) => a.startsWith(`${HOSTS_DIR}/`));
    });
}

/** The container's PID 1: nspawn's only child. */
export function containerInit(nspawnPid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${nspawnPid}/task/${nspawnPid}/children`, 'utf8').trim().split(/\s+/);
    const pid = Number(children[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Boots the host in the background: nsenter (not `ip netns exec`, which remounts /sys and hides the
 * cgroup tree so nspawn fails) into the lab namespace, then systemd-nspawn with the console going to a log.
 * The shell moves itself into the host's own cgroups first and then execs, so the returned pid is nspawn's.
 */
export function bootHost(host: HostFs): number {
  const log = openSync(host.log, 'a');
  const args = [
    `--net=${NETNS_PATH}`,
    'systemd-nspawn',
    '-M',
    host.name,
    '--register=no',
    '--keep-unit',
    '--boot',
    '--directory',
    host.merged,
    `--network-bridge=${BRIDGE}`,
    '--console=read-only',
    '--resolv-conf=off',
    '--link-journal=no',
  ];
  const joinCgroups = 'for d in $LAB_CGROUPS; do mkdir -p "$d" && echo $$ > "$d/cgroup.procs" || exit 1; done; exec "$@"';
  const child = spawn('sh', ['-c', joinCgroups, 'lab-boot', 'nsenter', ...args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, LAB_CGROUPS: hostCgroups(host.name).join(' ') },
  });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`lab: could not start systemd-nspawn for ${host.name}`);
  return child.pid;
}

export function pidAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
}

/** Clean poweroff via systemd; SIGKILL if it has not stopped within timeoutMs. */
export async function powerOff(nspawnPid: number, timeoutMs = 20_000): Promise<void> {
  const init = containerInit(nspawnPid);
  if (init !== undefined) process.kill(init, SIGRTMIN_PLUS_4);
  else if (pidAlive(nspawnPid)) process.kill(nspawnPid, 'SIGTERM');
  try {
    await waitFor('host to power off', timeoutMs, async () => (pidAlive(nspawnPid) ? undefined : true));
  } catch {
    const initNow = containerInit(nspawnPid);
    if (initNow !== undefined) process.kill(initNow, 'SIGKILL');
    if (pidAlive(nspawnPid)) process.kill(nspawnPid, 'SIGKILL');
    while (pidAlive(nspawnPid)) await sleep(100);
  }
}

/** Runs a command inside a running host's namespaces without SSH (for faults and debugging). */
export async function containerExec(nspawnPid: number, args: string[]): Promise<RunResult> {
  const init = containerInit(nspawnPid);
  if (init === undefined) throw new Error(`lab: host with nspawn pid ${nspawnPid} is not running`);
  return run('nsenter', ['--target', String(init), '--mount', '--uts', '--ipc', '--net', '--pid', '--', ...args]);
}
