import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { diskError, type BlobStore } from './blob-store';
import type { PulledImage } from './pull';

/** A ustar header for a regular file (names here are at most "blobs/sha256/" + 64 hex digits: under 100 bytes). */
export function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const put = (text: string, offset: number, len: number) => h.write(text, offset, len, 'ascii');
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0');
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

const padding = (size: number): Buffer => Buffer.alloc((512 - (size % 512)) % 512, 0);

/**
 * The OCI image layout (https://github.com/opencontainers/image-spec/blob/main/image-layout.md) of one image as a
 * tar. index.json names the image the way containerd's importer reads it: io.containerd.image.name for the full
 * name, org.opencontainers.image.ref.name for the tag (containerd core/images/archive/importer.go).
 */
export function layoutIndex(image: PulledImage): string {
  const tag = image.name
    .slice(image.name.lastIndexOf('/') + 1)
    .split(':')[1]
    ?.split('@')[0];
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: image.manifest.mediaType,
        digest: image.manifest.digest,
        size: image.manifest.size,
        platform: { os: 'linux', architecture: image.arch },
        annotations: { 'io.containerd.image.name': image.name, ...(tag ? { 'org.opencontainers.image.ref.name': tag } : {}) },
      },
    ],
  });
}

async function writeEntry(out: FileHandle, name: string, data: Buffer): Promise<void> {
  await out.write(tarHeader(name, data.length));
  await out.write(data);
  await out.write(padding(data.length));
}

async function writeBlobEntry(out: FileHandle, store: BlobStore, digest: string, size: number): Promise<void> {
  await out.write(tarHeader(`blobs/sha256/${digest.replace(/^sha256:/, '')}`, size));
  for await (const chunk of createReadStream(store.path(digest), { highWaterMark: 1 << 20 })) await out.write(chunk as Buffer);
  await out.write(padding(size));
}

/** Writes the image's archive under a temporary name and renames it into place only once it is whole. */
export async function writeOciArchive(image: PulledImage, store: BlobStore, path: string): Promise<{ size: number }> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.part`);
  let out: FileHandle | undefined;
  try {
    out = await open(tmp, 'wx', 0o644);
    await writeEntry(out, 'oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
    await writeEntry(out, 'index.json', Buffer.from(layoutIndex(image)));
    const seen = new Set<string>();
    for (const blob of [image.manifest, ...image.blobs]) {
      if (seen.has(blob.digest)) continue;
      seen.add(blob.digest);
      await writeBlobEntry(out, store, blob.digest, blob.size);
    }
    await out.write(Buffer.alloc(1024, 0));
    // No fsync: a torn archive after a crash fails SHA256SUMS, and the marker is written only after the sums.
    const { size } = await out.stat();
    await out.close();
    out = undefined;
    await rename(tmp, path);
    return { size };
  } catch (err) {
    await out?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw diskError(err, path);
  }
}
