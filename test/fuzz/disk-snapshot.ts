import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file (with a hash of its content) and folder under a directory, to tell whether a call changed anything. */
export async function snapshotDir(root: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    let names;
    try {
      names = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of names) {
      const full = join(dir, entry.name);
      const key = relative(root, full);
      if (entry.isDirectory()) {
        entries.set(`${key}/`, 'dir');
        await walk(full);
      } else {
        const body = await readFile(full).catch(() => Buffer.from('<unreadable>'));
        entries.set(key, createHash('sha256').update(body).digest('hex'));
      }
    }
  };
  await walk(root);
  return entries;
}

/** What differs between two snapshots, in words: added, removed or changed paths. */
export function snapshotChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [path, hash] of after) {
    if (!before.has(path)) changes.push(`added ${path}`);
    else if (before.get(path) !== hash) changes.push(`changed ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push(`removed ${path}`);
  return changes;
}
