import { KubesmithError } from '../../src-shared/errors';
import type { BlobDescriptor, BlobStore, OnBytes } from './blob-store';
import { fetchManifest, isIndex, pickPlatform } from './manifest';
import { formatReference, type ImageReference } from './reference';
import type { RegistryClient } from './registry-client';

/** One image for one architecture, every blob of it verified and in the store. */
export interface PulledImage {
  /** The reference as asked for (registry/repository:tag). */
  name: string;
  arch: 'amd64' | 'arm64';
  /** The platform manifest: what containerd lists as the image's digest after an import. */
  manifest: Required<BlobDescriptor>;
  /** The multi-arch index the tag pointed to, when it did. */
  indexDigest?: string;
  blobs: BlobDescriptor[];
  /** Bytes of manifest, config and layers together. */
  contentSize: number;
  downloaded: number;
}

export async function pullImage(
  client: RegistryClient,
  store: BlobStore,
  ref: ImageReference,
  arch: 'amd64' | 'arm64',
  onBytes?: OnBytes,
): Promise<PulledImage> {
  const name = formatReference(ref);
  let top = await fetchManifest(client, ref, ref.digest ?? ref.tag ?? 'latest', ref.digest);
  let indexDigest: string | undefined;
  if (isIndex(top)) {
    indexDigest = top.digest;
    const entry = pickPlatform(top, arch, name);
    top = await fetchManifest(client, ref, entry.digest, entry.digest);
    if (isIndex(top)) throw new KubesmithError('ImageInvalid', `${name}: the linux/${arch} entry of its index is another index.`);
  }
  const { config, layers } = top.json;
  if (!config || !Array.isArray(layers))
    throw new KubesmithError('ImageInvalid', `${name}: its manifest (${top.mediaType || 'no media type'}) has no config or layers.`);
  const blobs = [config, ...layers];
  let downloaded = 0;
  for (const blob of blobs) downloaded += await store.fetch(client, ref, blob, onBytes);
  await store.put(top.digest, top.bytes);
  return {
    name,
    arch,
    manifest: { digest: top.digest, size: top.bytes.length, mediaType: top.mediaType },
    ...(indexDigest ? { indexDigest } : {}),
    blobs,
    contentSize: top.bytes.length + blobs.reduce((n, b) => n + b.size, 0),
    downloaded,
  };
}
