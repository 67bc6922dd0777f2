import { hostLink } from './config';
import { waitBooted } from './boot';
import { hostRecord, hostShell } from './host-exec';
import { bootHost, isNspawnFor, powerOff } from './host-process';
import { withLabLock } from './lock';
import { setHostLink } from './network';
import { readState, writeState } from './state';
import type { LabHost } from './types';

type Host = Pick<LabHost, 'name'>;

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function updatePid(name: string, pid: number): void {
  const state = readState();
  if (!state) return;
  writeState({ ...state, hosts: state.hosts.map((h) => (h.name === name ? { ...h, pid } : h)) });
}

/** Powers the host off cleanly (like `poweroff`); its disk is kept, so startHost brings the same machine back. */
export function stopHost(host: Host): Promise<void> {
  return withLabLock(async () => {
    const rec = hostRecord(host);
    if (isNspawnFor(rec.pid, rec.merged)) await powerOff(rec.pid);
    updatePid(rec.name, 0);
  });
}

/** Boots a stopped host again and waits until it is up (same disk, so same host keys and data). */
export function startHost(host: Host): Promise<void> {
  return withLabLock(async () => {
    const rec = hostRecord(host);
    if (isNspawnFor(rec.pid, rec.merged)) return;
    const pid = bootHost(rec);
    updatePid(rec.name, pid);
    await waitBooted({ ...rec, pid });
  });
}

/** Pulls the host's cable: its port on the lab bridge goes down, so nothing reaches it and it reaches nothing. */
export const cutLink = (host: Host): Promise<void> => setHostLink(hostLink(host.name), false);
export const restoreLink = (host: Host): Promise<void> => setHostLink(hostLink(host.name), true);

/** Stops sshd (open sessions survive, as when sshd dies); it stays down until restoreSshd. */
export async function killSshd(host: Host): Promise<void> {
  await hostShell(host, 'systemctl stop ssh.service');
}

export async function restoreSshd(host: Host): Promise<void> {
  await hostShell(host, 'systemctl start ssh.service');
}

/**
 * Mounts a small tmpfs at path and fills it, so writes there fail with ENOSPC. Whatever was at path is
 * hidden (not lost) until freeDisk.
 */
export async function fillDisk(host: Host, path: string, sizeMb = 8): Promise<void> {
  const p = quote(path);
  await hostShell(
    host,
    `mkdir -p ${p} && mount -t tmpfs -o size=${sizeMb}m lab-full ${p} && { dd if=/dev/zero of=${p}/.lab-fill bs=1M 2>/dev/null; true; }`,
  );
}

export async function freeDisk(host: Host, path: string): Promise<void> {
  await hostShell(host, `umount ${quote(path)}`);
}

/** Generates new SSH host keys and restarts sshd: the next connection sees a different host identity. */
export async function changeHostKey(host: Host): Promise<void> {
  await hostShell(
    host,
    'rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub && ssh-keygen -A >/dev/null && systemctl restart ssh.service',
  );
}

/** The host's current ed25519 public host key line ("ssh-ed25519 AAAA…"), read without SSH. */
export async function hostPublicKey(host: Host): Promise<string> {
  const line = await hostShell(host, 'cat /etc/ssh/ssh_host_ed25519_key.pub');
  return line.trim().split(' ').slice(0, 2).join(' ');
}
