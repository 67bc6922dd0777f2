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
