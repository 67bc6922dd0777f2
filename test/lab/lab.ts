import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { labCgroupsLeft, removeLabCgroups } from './cgroups';
import { HOSTS_DIR, LOGS_DIR, MAX_HOSTS, ROOT_VETH } from './config';
import { progress } from './exec';
import { prepareHostFs } from './host-fs';
import { bootHost, isNspawnFor, labNspawnPids, powerOff } from './host-process';
import { toLabHost } from './hosts';
import { ensureImage } from './image';
import { withLabLock } from './lock';
import { mountsUnder, removeTree } from './mounts';
import { linkExists, netnsExists, networkUp, networkDown } from './network';
import { systemState } from './ssh';
import { clearState, readState, writeState, type LabState } from './state';
import { isBooted, waitBooted } from './boot';
import type { LabHost, LabHostStatus } from './types';

export { ensureImage, type LabImage } from './image';
export { labUnsupportedReason } from './preflight';
export type { LabHost, LabHostStatus, LabUser, SudoMode } from './types';

async function healthy(state: LabState): Promise<boolean> {
  if (!netnsExists() || !(await linkExists(ROOT_VETH))) return false;
  const checks = await Promise.all(state.hosts.map(async (h) => isNspawnFor(h.pid, h.merged) && isBooted(await systemState(h.address))));
  return checks.every(Boolean);
}

async function teardown(): Promise<void> {
  const state = readState();
  const known = state?.hosts.filter((h) => isNspawnFor(h.pid, h.merged)).map((h) => h.pid) ?? [];
  const pids = [...new Set([...known, ...labNspawnPids()])];
  if (pids.length > 0) progress(`powering off ${pids.length} host(s)…`);
  await Promise.all(pids.map((pid) => powerOff(pid)));
  removeLabCgroups();
  await removeTree(HOSTS_DIR);
  await networkDown();
  clearState();
}

async function bringUp(count: number): Promise<LabHost[]> {
  const image = await ensureImage();
  const current = readState();
  if (current?.hosts.length === count && current.image.hash === image.hash && (await healthy(current))) {
    return current.hosts.map((h) => toLabHost(h, image.keyPath));
  }
  await teardown();
  const started = Date.now();
  raiseInotifyLimit(count);
  await networkUp();
  rmSync(LOGS_DIR, { recursive: true, force: true });
  const state: LabState = { image, hosts: [] };
  for (let i = 1; i <= count; i++) {
    const fs = await prepareHostFs(i, count, image);
    state.hosts.push({ ...fs, pid: bootHost(fs) });
    // Written per host so that a crash halfway still leaves `down` a full record to clean up.
    writeState(state);
  }
  progress(`booting ${count} host(s)…`);
  await Promise.all(state.hosts.map(waitBooted));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  progress(`${count} host(s) up in ${seconds} s: ${state.hosts.map((h) => `${h.name}=${h.address}`).join(' ')}`);
  return state.hosts.map((h) => toLabHost(h, image.keyPath));
}

/**
 * Every host's systemd takes inotify instances of the same user (root), and the kernel's default of 128 runs out near
 * 20 hosts ("Failed to create control group inotify object: Too many open files"). Only ever raised.
 */
function raiseInotifyLimit(count: number): void {
  const path = '/proc/sys/fs/inotify/max_user_instances';
  const want = 128 + count * 16;
  try {
    if (Number(readFileSync(path, 'utf8')) < want) writeFileSync(path, `${want}\n`);
  } catch (e) {
    progress(`could not raise ${path} to ${want} (${String(e)}); more than about 20 hosts may not boot`);
  }
}

/**
 * Boots `count` lab hosts and waits until each answers SSH with systemd running or degraded.
 * Idempotent: when exactly `count` healthy hosts from the current image are up, returns them untouched;
 * otherwise the lab is rebuilt from scratch. On failure the lab is torn down (set KUBESMITH_LAB_KEEP=1 to keep it).
 */
export function labUp(count: number): Promise<LabHost[]> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) {
    return Promise.reject(new Error(`lab: host count must be an integer from 1 to ${MAX_HOSTS}, got ${count}`));
  }
  return withLabLock(async () => {
    try {
      return await bringUp(count);
    } catch (err) {
      if (process.env.KUBESMITH_LAB_KEEP !== '1') {
        progress(`lab up failed; tearing down (console logs stay in ${LOGS_DIR})`);
        await teardown().catch((e: unknown) => progress(`teardown after failure also failed: ${String(e)}`));
      }
      throw err;
    }
  });
}

/** Powers off every lab host, unmounts the overlays and deletes the namespace and veth. Safe to call when down. */
export function labDown(): Promise<void> {
  return withLabLock(teardown);
}

/** Hosts of the running lab, as labUp returned them, without checking them. Empty when down. */
export function labHosts(): LabHost[] {
  const state = readState();
  return state ? state.hosts.map((h) => toLabHost(h, state.image.keyPath)) : [];
}

export async function labStatus(): Promise<LabHostStatus[]> {
  const state = readState();
  if (!state) return [];
  return Promise.all(
    state.hosts.map(async (h) => {
      const running = isNspawnFor(h.pid, h.merged);
      return { name: h.name, address: h.address, running, sshReachable: running && (await systemState(h.address)) !== undefined };
    }),
  );
}

/** Anything of the lab still present on this machine; all empty/false after labDown. */
export async function labLeftovers(): Promise<{
  processes: number[];
  mounts: string[];
  cgroups: string[];
  rootVeth: boolean;
  netns: boolean;
}> {
  return {
    cgroups: labCgroupsLeft(),
    processes: labNspawnPids(),
    mounts: mountsUnder(HOSTS_DIR),
    rootVeth: await linkExists(ROOT_VETH),
    netns: netnsExists(),
  };
}
