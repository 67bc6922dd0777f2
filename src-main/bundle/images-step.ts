import { join } from 'node:path';
import type { BundleImage } from '../../src-shared/model/bundle';
import type { ImageRole } from '../deploy/images';
import type { BlobStore } from '../images/blob-store';
import { writeOciArchive } from '../images/oci-archive';
import { pullImage } from '../images/pull';
import { parseReference } from '../images/reference';
import type { RegistryClient } from '../images/registry-client';
import type { Arch } from './options';

/** images/registry.k8s.io_coredns_coredns_v1.12.4.tar: the reference with its separators made file-safe. */
export function archiveName(ref: string): string {
  return `images/${ref.replace(/[/:@]/g, '_').replace(/[^\w.-]/g, '-')}.tar`;
}

/**
 * Fetches one image for one architecture into the blob store (what is already there is not fetched again) and
 * writes its OCI archive into the bundle folder.
 */
export async function bundleImage(
  client: RegistryClient,
  store: BlobStore,
  folder: string,
  image: { role: ImageRole; ref: string },
  arch: Arch,
  onBytes: (n: number) => void,
): Promise<BundleImage> {
  const pulled = await pullImage(client, store, parseReference(image.ref), arch, onBytes);
  const archive = archiveName(image.ref);
  // Written again on every run from verified blobs: a local copy, cheaper than proving an old archive whole.
  const { size } = await writeOciArchive(pulled, store, join(folder, archive));
  return {
    role: image.role,
    ref: image.ref,
    digest: pulled.manifest.digest,
    ...(pulled.indexDigest ? { indexDigest: pulled.indexDigest } : {}),
    archive,
    size,
  };
}
