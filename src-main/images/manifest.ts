import { KubesmithError } from '../../src-shared/errors';
import { sha256Hex, type BlobDescriptor } from './blob-store';
import { formatReference, type ImageReference } from './reference';
import type { RegistryClient } from './registry-client';

// Media types of the OCI image spec and of Docker's schema 2 (which registries still serve for older images).
export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;
const ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(', ');
const MAX_MANIFEST_BYTES = 4 << 20;

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
  json: ManifestJson;
}

export interface ManifestJson {
  schemaVersion?: number;
  mediaType?: string;
  manifests?: Array<BlobDescriptor & { platform?: { os?: string; architecture?: string; variant?: string } }>;
  config?: BlobDescriptor;
  layers?: BlobDescriptor[];
}

/**
 * One manifest, checked against the digest asked for (a child of an index, or a reference by digest) or else the
 * Docker-Content-Digest the registry sent: its bytes are what the digest names, or it is refused.
 */
export async function fetchManifest(
  client: RegistryClient,
  ref: ImageReference,
  target: string,
  expected?: string,
): Promise<FetchedManifest> {
  const name = formatReference(ref);
  const res = await client.get(ref, 'manifests', target, { accept: ACCEPT });
  if (!res.ok) {
    await res.body?.cancel();
    throw new KubesmithError(
      res.status === 404 ? 'ImageNotFound' : 'ImageDownloadFailed',
      `${name}: the registry answered ${res.status} for manifest ${target}.`,
      res.status === 404 ? 'Check the image name and tag, and that the mirror holds it.' : undefined,
      { image: name, status: res.status },
    );
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_MANIFEST_BYTES)
    throw new KubesmithError('ImageInvalid', `${name}: manifest ${target} is ${bytes.length} bytes, too large to be a manifest.`);
  const digest = `sha256:${sha256Hex(bytes)}`;
  const claimed = expected ?? res.headers.get('docker-content-digest') ?? undefined;
  if (claimed && claimed !== digest) {
    throw new KubesmithError(
      'ManifestDigestMismatch',
      `${name}: manifest ${target} should be ${claimed} but its bytes are ${digest}.`,
      'The registry or mirror served a damaged or altered manifest; nothing of the image was kept.',
      { image: name, expected: claimed, got: digest },
    );
  }
  let json: ManifestJson;
  try {
    json = JSON.parse(bytes.toString('utf8')) as ManifestJson;
  } catch {
    throw new KubesmithError('ImageInvalid', `${name}: manifest ${target} is not JSON.`);
  }
  const mediaType = json.mediaType ?? res.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
  return { mediaType, digest, bytes, json };
}

export const isIndex = (m: FetchedManifest): boolean =>
  m.mediaType === MEDIA.ociIndex || m.mediaType === MEDIA.dockerList || (Array.isArray(m.json.manifests) && !m.json.config);

/** The linux/<arch> entry of an index (arm64 may carry variant v8). */
export function pickPlatform(index: FetchedManifest, arch: 'amd64' | 'arm64', name: string): BlobDescriptor {
  const entry = (index.json.manifests ?? []).find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch);
  if (!entry) {
    const have = (index.json.manifests ?? []).map((m) => `${m.platform?.os ?? '?'}/${m.platform?.architecture ?? '?'}`).join(', ');
    throw new KubesmithError('ImagePlatformMissing', `${name} has no linux/${arch} image (it has ${have || 'none'}).`, undefined, {
      image: name,
      arch,
    });
  }
  return entry;
}
