import { readFileSync, rmSync } from 'node:fs';
import { run } from './exec';

/** Mount points at or below dir, deepest first (so they can be unmounted in order). */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.replace(/\/+$/, '');
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))))
    .filter((p) => p === prefix || p.startsWith(`${prefix}/`))
    .sort((a, b) => b.length - a.length);
}

export async function unmountAll(dir: string): Promise<void> {
  for (const point of mountsUnder(dir)) {
    const res = await run('umount', [point]);
    // Busy (a process still holding a file): detach now, the kernel frees it when the holder exits.
    if (res.code !== 0) await run('umount', ['--lazy', point]);
  }
  const left = mountsUnder(dir);
  if (left.length > 0) throw new Error(`lab: could not unmount ${left.join(', ')}`);
}

/** rm -rf that refuses to descend into mounts (rmSync would happily delete through a bind or overlay mount). */
export async function removeTree(dir: string): Promise<void> {
  await unmountAll(dir);
  rmSync(dir, { recursive: true, force: true });
}
