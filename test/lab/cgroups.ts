import { existsSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

const LAB_GROUP = 'kubesmith-lab';

/**
 * Hierarchies systemd-nspawn places a container in: the cgroup2 mount and, on hybrid hosts, name=systemd.
 * With --keep-unit nspawn uses its own cgroup as the container's; started from the same cgroup, every
 * container's systemd would manage one shared /payload tree and they race (units fail with 219/CGROUP).
 */
function cgroupRoots(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => {
      const [pre, post] = line.split(' - ');
      const mountPoint = pre?.split(' ')[4];
      const [fsType, , superOpts] = post?.split(' ') ?? [];
      const wanted = fsType === 'cgroup2' || (fsType === 'cgroup' && (superOpts ?? '').split(',').includes('name=systemd'));
      return wanted ? mountPoint : undefined;
    })
    .filter((p): p is string => p !== undefined && p.startsWith('/sys/fs/cgroup'));
}

/** A cgroup per host in each hierarchy; the host's nspawn is moved there before it starts. */
export function hostCgroups(name: string): string[] {
  return cgroupRoots().map((root) => join(root, LAB_GROUP, name));
}

function removeEmptyTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyTree(join(dir, entry.name));
  }
  try {
    rmdirSync(dir);
  } catch {
    // Still has processes: left for the next down, which runs after they are gone.
  }
}

/** Removes the lab's cgroups once their containers are gone. */
export function removeLabCgroups(): void {
  for (const root of cgroupRoots()) {
    const dir = join(root, LAB_GROUP);
    if (existsSync(dir)) removeEmptyTree(dir);
  }
}

export function labCgroupsLeft(): string[] {
  return cgroupRoots()
    .map((root) => join(root, LAB_GROUP))
    .filter((dir) => existsSync(dir));
}

/**
 * CPU time each running lab host has used since it booted (microseconds, by host name), from the cgroup2 tree's
 * cpu.stat; empty when the hosts have no cgroup2 group. The deploy bench reads it before and after a run: the lab's
 * hosts share this machine's cores, so their CPU time bounds how fast many hosts can deploy here.
 */
export function labHostsCpuUsec(): Map<string, number> {
  const out = new Map<string, number>();
  const root = cgroupRoots()
    .map((r) => join(r, LAB_GROUP))
    .find((dir) => existsSync(join(dir, 'cpu.stat')));
  if (!root) return out;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      const m = /^usage_usec (\d+)$/m.exec(readFileSync(join(root, entry.name, 'cpu.stat'), 'utf8'));
      if (m) out.set(entry.name, Number(m[1]));
    } catch {
      // A host powering off while it is read: left out.
    }
  }
  return out;
}
