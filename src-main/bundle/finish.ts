import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_COMPLETE, BUNDLE_INDEX, type BundleIndex } from '../../src-shared/model/bundle';
import { BUNDLE_SUMS } from '../deploy/binaries/bundle';
import { localSha256 } from '../deploy/binaries/local-sha';
import { writeFileAtomic } from '../store/atomic-write';
import { diskError } from '../images/blob-store';

async function atomic(folder: string, name: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(join(folder, name), text);
  } catch (err) {
    throw diskError(err, join(folder, name));
  }
}

/** Files of the bundle the sums cover: everything but the marker, the sums themselves and the work folder. */
async function bundleFiles(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of ['bin', 'cni', 'debs', 'images']) {
    let names: string[];
    try {
      names = await readdir(join(folder, dir));
    } catch {
      continue;
    }
    out.push(...names.filter((n) => !n.startsWith('.') && !n.endsWith('.part')).map((n) => `${dir}/${n}`));
  }
  return [...out.sort(), BUNDLE_INDEX, 'versions.json'];
}

/**
 * Writes bundle.json, versions.json and SHA256SUMS, then — last — the completion marker holding the SHA-256 of
 * SHA256SUMS. A bundle interrupted anywhere before has no marker and is refused as unfinished.
 */
export async function finishBundle(folder: string, index: BundleIndex): Promise<number> {
  await atomic(folder, BUNDLE_INDEX, `${JSON.stringify(index, null, 2)}\n`);
  await atomic(folder, 'versions.json', `${JSON.stringify(index.versions, null, 2)}\n`);
  const files = await bundleFiles(folder);
  const lines: string[] = [];
  for (const rel of files) lines.push(`${await localSha256(join(folder, rel))}  ${rel}`);
  const sums = `${lines.join('\n')}\n`;
  await atomic(folder, BUNDLE_SUMS, sums);
  await atomic(folder, BUNDLE_COMPLETE, `${createHash('sha256').update(sums).digest('hex')}\n`);
  return files.length;
}

/** A run starts by taking the marker away: from then on the folder counts as unfinished until finishBundle ends. */
export async function markUnfinished(folder: string): Promise<void> {
  await rm(join(folder, BUNDLE_COMPLETE), { force: true });
}
