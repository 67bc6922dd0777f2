import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadBundle } from '../deploy/binaries/bundle';
import { resolveDownloads } from '../deploy/binaries/cache';
import type { BinarySet } from '../deploy/binaries/types';
import type { ReleaseSet } from '../deploy/versions';
import { diskError } from '../images/blob-store';
import type { Arch, BinaryOrigin } from './options';

/** The verified binaries for one release: downloaded (each against its published SHA-256) or read from a folder. */
export async function gatherBinaries(
  origin: BinaryOrigin,
  release: ReleaseSet,
  arch: Arch,
  cacheDir: string,
  log: (message: string) => void,
  signal?: AbortSignal,
): Promise<BinarySet> {
  if (origin.kind === 'folder') return loadBundle(origin.path);
  return resolveDownloads({
    release,
    arch,
    cacheDir,
    log,
    ...(origin.kind === 'mirror' ? { mirrorPrefix: origin.prefix } : {}),
    ...(signal ? { signal } : {}),
  });
}

/** Where a file of the set goes in a bundle folder (the layout loadBundle reads). */
export function bundlePath(kind: 'cni' | 'bin' | 'debs', name: string): string {
  return `${kind}/${name}`;
}

async function place(from: string, folder: string, rel: string): Promise<void> {
  const to = join(folder, rel);
  const tmp = `${to}.part`;
  await mkdir(join(to, '..'), { recursive: true });
  try {
    await copyFile(from, tmp);
    await rename(tmp, to);
  } catch (err) {
    await rm(tmp, { force: true });
    throw diskError(err, to);
  }
}

/** Copies the set into the bundle folder; returns the relative paths written. */
export async function placeBinaries(set: BinarySet, folder: string): Promise<string[]> {
  const written: string[] = [];
  for (const f of set.files) {
    const rel = bundlePath(f.component === 'cni' ? 'cni' : 'bin', f.name);
    await place(f.localPath, folder, rel);
    written.push(rel);
  }
  for (const p of set.packages) {
    const rel = bundlePath('debs', p.localPath.split('/').pop()!);
    await place(p.localPath, folder, rel);
    written.push(rel);
  }
  return written;
}
