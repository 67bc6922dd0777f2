import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubesmithError } from '../../../src-shared/errors';
import { BUNDLE_COMPLETE, BUNDLE_INDEX, BundleIndexSchema, type BundleIndex } from '../../../src-shared/model/bundle';
import type { LocalBinary, LocalImage } from './types';

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A folder with bundle.json was made by Kubesmith's bundle builder, which writes bundle.complete last with the
 * SHA-256 of SHA256SUMS. Without that marker (or with one for other sums) the bundle was never finished.
 */
export async function readBundleIndex(folder: string, sums: string): Promise<BundleIndex | undefined> {
  const text = await readOptional(join(folder, BUNDLE_INDEX));
  if (text === undefined) return undefined;
  const marker = (await readOptional(join(folder, BUNDLE_COMPLETE)))?.trim();
  if (marker !== createHash('sha256').update(sums).digest('hex'))
    throw new KubesmithError(
      'BundleIncomplete',
      `${folder} is an unfinished bundle: ${marker === undefined ? `${BUNDLE_COMPLETE} is missing` : `${BUNDLE_COMPLETE} does not match SHA256SUMS`}.`,
      'Make the bundle again (it resumes where it stopped); nothing from it was used.',
      { folder, file: BUNDLE_COMPLETE },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KubesmithError('BundleInvalid', `${BUNDLE_INDEX} in ${folder} is not JSON.`, undefined, { folder, file: BUNDLE_INDEX });
  }
  const index = BundleIndexSchema.safeParse(parsed);
  if (!index.success)
    throw new KubesmithError(
      'BundleInvalid',
      `${BUNDLE_INDEX} in ${folder} is not one Kubesmith can read: ${index.error.issues[0]?.path.join('.')} ${index.error.issues[0]?.message}.`,
      undefined,
      { folder, file: BUNDLE_INDEX },
    );
  return index.data;
}

/** The images bundle.json lists, each an archive SHA256SUMS vouched for (checked by the caller). */
export function bundleImages(
  folder: string,
  index: BundleIndex,
  verified: Map<string, Pick<LocalBinary, 'sha256' | 'size'>>,
): LocalImage[] {
  return index.images.map((image) => {
    const file = verified.get(image.archive);
    if (!file)
      throw new KubesmithError(
        'BundleInvalid',
        `${BUNDLE_INDEX} lists ${image.archive}, which SHA256SUMS does not.`,
        'Make the bundle again.',
        {
          folder,
          file: image.archive,
        },
      );
    return { role: image.role, ref: image.ref, digest: image.digest, localPath: join(folder, image.archive), ...file };
  });
}
