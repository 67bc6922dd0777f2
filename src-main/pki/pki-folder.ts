import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';
import type { SecretCipher } from '../store/secret-cipher';
import { layoutFiles, MANIFEST_PATH, type PkiLayout } from './layout';
import { parseManifest, sha256Hex, type Manifest } from './manifest';
import { secretDiskVariants } from './secret-files';

/** Everything in pki/ at the start of a run, read once so all checks happen before anything is written. */
export interface PkiFolder {
  dir: string;
  /** Regular files by path relative to pki/ (with "/"), manifest excluded. */
  files: Map<string, Buffer>;
  /** Symlinks, sockets and the like: never written by Kubesmith. */
  otherEntries: string[];
  manifest: Manifest | undefined;
}

/** Leftovers of writeFileAtomic interrupted mid-write; harmless and ignored. */
const TEMP_FILE = /(^|\/)\.[^/]+\.[0-9a-f]{12}\.tmp$/;
/** Files a file manager drops into any folder it shows. */
const DESKTOP_LITTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

export function isIgnoredFile(relPath: string): boolean {
  return TEMP_FILE.test(relPath) || DESKTOP_LITTER.has(relPath.split('/').pop() ?? '');
}

/** Reads pki/; the manifest is parsed (and a corrupt one refused) unless `withManifest` is false. */
export async function readPkiFolder(dir: string, withManifest = true): Promise<PkiFolder> {
  const files = new Map<string, Buffer>();
  const otherEntries: string[] = [];
  let manifest: Manifest | undefined;
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && rel === '') return;
      throw err;
    }
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (!entry.isFile()) otherEntries.push(path);
      else if (isIgnoredFile(path)) continue;
      else if (path === MANIFEST_PATH) {
        if (withManifest) manifest = parseManifest(await readFile(join(dir, path), 'utf8'), join(dir, path));
      } else files.set(path, await readFile(join(dir, path)));
    }
  };
  await walk('');
  return { dir, files, otherEntries, manifest };
}

/**
 * Refuses files Kubesmith has no record of writing. The only ones accepted without a record
 * belong to a CA or the service-account key pair, put there before the first run (kubeadm's
 * "bring your own CA"); they are checked like any CA before use.
 */
export function refuseForeignFiles(folder: PkiFolder, layout: PkiLayout): void {
  const manifest = folder.manifest;
  const adoptable = new Set<string>();
  const caAndSaKeys = [...layout.cas.map((c) => c.certPath), layout.serviceAccount.privateKeyPath];
  for (const file of layoutFiles(layout)) {
    if (!caAndSaKeys.includes(file.entryKey) || manifest?.entries[file.entryKey] !== undefined) continue;
    const variants = file.secret ? Object.values(secretDiskVariants(file.path)) : [file.path];
    for (const v of variants) adoptable.add(v);
  }
  const foreign = [...folder.otherEntries];
  for (const path of folder.files.keys()) {
    const tracked = manifest?.files[path] !== undefined || manifest?.pending?.[path] !== undefined;
    if (!tracked && !adoptable.has(path)) foreign.push(path);
  }
  if (foreign.length > 0) {
    throw new KubesmithError(
      'PkiForeignFiles',
      `The pki folder holds ${foreign.length === 1 ? 'a file' : `${foreign.length} files`} Kubesmith did not write: ${listed(foreign)}.`,
      'Kubesmith does not overwrite files it does not know. Move them out of the pki folder (only a CA or sa.key/sa.pub of your own may stay), then try again.',
      { dir: folder.dir, files: foreign.sort() },
    );
  }
}

/** Refuses Kubesmith's own files that were changed after it wrote them. */
export function refuseModifiedFiles(folder: PkiFolder): void {
  const manifest = folder.manifest;
  const modified: string[] = [];
  for (const [path, bytes] of folder.files) {
    const known = [manifest?.files[path], manifest?.pending?.[path]].filter((h) => h !== undefined);
    if (known.length > 0 && !known.includes(sha256Hex(bytes))) modified.push(path);
  }
  if (modified.length > 0) {
    const one = modified.length === 1;
    throw new KubesmithError(
      'PkiFilesModified',
      `${one ? 'A file' : `${modified.length} files`} in the pki folder changed after Kubesmith wrote ${one ? 'it' : 'them'}: ${listed(modified)}.`,
      'Restore the originals, or delete the changed leaf certificates and keys so Kubesmith issues them again.',
      { dir: folder.dir, files: modified.sort() },
    );
  }
}

function listed(paths: string[]): string {
  const sorted = [...paths].sort();
  return sorted.length <= 5 ? sorted.join(', ') : `${sorted.slice(0, 5).join(', ')} and ${sorted.length - 5} more`;
}

/** The secret's bytes on disk, preferring the form this cipher writes; undefined when absent. */
export function pickSecretFile(
  folder: PkiFolder,
  path: string,
  cipher: SecretCipher,
): { diskPath: string; bytes: Buffer; sealed: boolean } | undefined {
  const { plain, sealed } = secretDiskVariants(path);
  const order = cipher.encryptsAtRest ? [sealed, plain] : [plain, sealed];
  for (const diskPath of order) {
    const bytes = folder.files.get(diskPath);
    if (bytes !== undefined) return { diskPath, bytes, sealed: diskPath === sealed };
  }
  return undefined;
}
