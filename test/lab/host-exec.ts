import type { RunResult } from './exec';
import { containerExec, isNspawnFor } from './host-process';
import { readState, type HostRecord } from './state';
import type { LabHost } from './types';

export function hostRecord(host: Pick<LabHost, 'name'>): HostRecord {
  const rec = readState()?.hosts.find((h) => h.name === host.name);
  if (!rec) throw new Error(`lab: ${host.name} is not part of the running lab`);
  return rec;
}

/**
 * Runs a command as root inside a running host, entering its namespaces directly (no SSH, so it works
 * while sshd or the link is down). Use it to set up or inspect; test the app's own SSH path with SSH.
 */
export function hostExec(host: Pick<LabHost, 'name'>, args: string[]): Promise<RunResult> {
  const rec = hostRecord(host);
  if (!isNspawnFor(rec.pid, rec.merged)) throw new Error(`lab: ${host.name} is not running`);
  return containerExec(rec.pid, ['/usr/bin/env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8', ...args]);
}

/** Like hostExec with `sh -c script`, throwing with the output when it fails. */
export async function hostShell(host: Pick<LabHost, 'name'>, script: string): Promise<string> {
  const res = await hostExec(host, ['/bin/sh', '-c', script]);
  if (res.code !== 0) throw new Error(`lab: on ${host.name}, \`${script}\` exited ${res.code}: ${(res.stderr || res.stdout).trim()}`);
  return res.stdout;
}
