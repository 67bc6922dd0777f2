import { mkdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-write';
import { MANIFEST_PATH } from './layout';
import { createLimiter } from './scheduling';
import { emptyManifest, serializeManifest, sha256Hex, type ManifestEntry } from './manifest';
import type { PkiFolder } from './pki-folder';
import { PUBLIC_FILE_MODE } from './secret-files';

export interface FileWrite {
  path: string;
  data: Buffer;
  mode: number;
}

export interface Commit {
  writes: FileWrite[];
  /** Paths to remove: other-form copies of rewritten secrets, files of hosts that left the cluster. */
  deletions: string[];
  /** Manifest entries to set, by entry key. */
  entries: Record<string, ManifestEntry>;
  /** Manifest entries to drop, by entry key. */
  dropEntries: string[];
}

/** Concurrent fsyncs help on SSDs; more than a few only queue up in libuv's pool. */
const WRITE_CONCURRENCY = 4;

/**
 * Writes in an order that any interruption leaves recognisable: the manifest first lists the
 * coming files as pending, then the files are written (each atomically), then the manifest is
 * rewritten with the final state.
 */
export async function commitToFolder(folder: PkiFolder, commit: Commit): Promise<void> {
  const base = folder.manifest ?? emptyManifest();
  const written = new Map(commit.writes.map((w) => [w.path, sha256Hex(w.data)]));
  await mkdir(folder.dir, { recursive: true, mode: 0o700 });
  if (commit.writes.length > 0) {
    const pending = { ...base, pending: { ...base.pending, ...Object.fromEntries(written) } };
    await writeManifest(folder.dir, serializeManifest(pending));
  }

  const limited = createLimiter(WRITE_CONCURRENCY);
  await Promise.all(commit.writes.map((w) => limited(() => writeFileAtomic(join(folder.dir, w.path), w.data, w.mode))));
  const deleted = new Set(commit.deletions.filter((p) => !written.has(p)));
  for (const path of deleted) await rm(join(folder.dir, path), { force: true });
  await removeEmptyParents(folder.dir, [...deleted]);

  const files: Record<string, string> = {};
  for (const [path, bytes] of folder.files) if (!deleted.has(path)) files[path] = sha256Hex(bytes);
  for (const [path, hash] of written) files[path] = hash;
  const entries = { ...base.entries };
  for (const key of commit.dropEntries) delete entries[key];
  Object.assign(entries, commit.entries);
  const final = serializeManifest({ generator: 'kubesmith', version: 1, entries, files: sortedRecord(files) });
  // A run that changed nothing leaves the folder exactly as it was, manifest included.
  if (folder.manifest && commit.writes.length === 0 && final === serializeManifest(folder.manifest)) return;
  await writeManifest(folder.dir, final);
}

function writeManifest(dir: string, text: string): Promise<void> {
  return writeFileAtomic(join(dir, MANIFEST_PATH), text, PUBLIC_FILE_MODE);
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** hosts/<name>/etcd/ and hosts/<name>/ of a removed host; pki/ itself stays. */
async function removeEmptyParents(root: string, paths: string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) dirs.add(dir);
  }
  const deepestFirst = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const dir of deepestFirst) {
    try {
      await rmdir(join(root, dir));
    } catch {
      // Not empty (or already gone): it still holds files that belong there.
    }
  }
}
