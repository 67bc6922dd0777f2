import { readFile, stat } from 'node:fs/promises';
import { basename, join, normalize } from 'node:path';
import { KubesmithError } from '../../../src-shared/errors';
import { bundleImages, readBundleIndex } from './bundle-images';
import { localSha256 } from './local-sha';
import { COMPONENT_FILES, type BinarySet, type Component, type LocalBinary, type LocalPackage } from './types';

export const BUNDLE_SUMS = 'SHA256SUMS';

function componentOf(name: string): Component | undefined {
  return (Object.keys(COMPONENT_FILES) as Component[]).find((c) => (COMPONENT_FILES[c] as readonly string[]).includes(name));
}

/**
 * An offline bundle: a folder with bin/<binary>, cni/<plugin>, optional debs/<package>_<version>_<arch>.deb
 * (installed with dpkg when a host lacks a package) and SHA256SUMS listing every file (as `sha256sum` writes it).
 * Every file is checked against SHA256SUMS before the plan uses it.
 */
export async function loadBundle(folder: string): Promise<BinarySet> {
  let sums: string;
  try {
    sums = await readFile(join(folder, BUNDLE_SUMS), 'utf8');
  } catch {
    throw new KubesmithError(
      'BundleInvalid',
      `${folder} has no ${BUNDLE_SUMS}.`,
      'An offline bundle lists every file with its SHA-256 (cd bundle && sha256sum bin/* cni/* > SHA256SUMS).',
      { folder },
    );
  }
  const index = await readBundleIndex(folder, sums);
  const files: LocalBinary[] = [];
  const packages: LocalPackage[] = [];
  const verified = new Map<string, { sha256: string; size: number }>();
  for (const line of sums
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line);
    if (!m) throw new KubesmithError('BundleInvalid', `${BUNDLE_SUMS} has a line Kubesmith cannot read: "${line}".`);
    const rel = normalize(m[2]!).replace(/^\.\//, '');
    if (rel.startsWith('..')) throw new KubesmithError('BundleInvalid', `${BUNDLE_SUMS} names a file outside the bundle: ${rel}.`);
    const localPath = join(folder, rel);
    let size: number;
    try {
      size = (await stat(localPath)).size;
    } catch {
      throw new KubesmithError('BundleInvalid', `The bundle lists ${rel}, but the file is missing.`, undefined, { folder, file: rel });
    }
    const got = await localSha256(localPath);
    if (got !== m[1])
      throw new KubesmithError(
        'ChecksumMismatch',
        `${rel} in the offline bundle does not match its SHA-256 in ${BUNDLE_SUMS}.`,
        'Copy the bundle again; nothing from it was used.',
        { file: rel },
      );
    verified.set(rel, { sha256: got, size });
    const [dir, name] = rel.split('/');
    if (dir === 'debs' && name?.endsWith('.deb')) {
      packages.push({ name: basename(name).split('_')[0]!, localPath, sha256: got, size });
      continue;
    }
    const component = dir === 'cni' ? 'cni' : dir === 'bin' && name ? componentOf(name) : undefined;
    if (component && name) files.push({ component, name, localPath, sha256: got, size });
  }
  let versions: BinarySet['versions'] = {};
  try {
    versions = JSON.parse(await readFile(join(folder, 'versions.json'), 'utf8')) as BinarySet['versions'];
  } catch {
    // versions.json is optional: it only labels the plan.
  }
  return { files, versions, packages, ...(index ? { images: bundleImages(folder, index, verified) } : {}) };
}
