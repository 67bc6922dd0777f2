import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KubesmithError } from '../../src-shared/errors';
import { formatReference, type ImageReference } from './reference';
import type { RegistryClient } from './registry-client';

export interface BlobDescriptor {
  digest: string;
  size: number;
  mediaType?: string;
}

export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Bytes of a blob that arrived, for progress. */
export type OnBytes = (bytes: number) => void;

/** Writes an error a full disk gives as words about the disk, naming the file being written. */
export function diskError(err: unknown, file: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new KubesmithError(
      'DiskFull',
      `The disk filled up while writing ${file}.`,
      'Free some space (or pick another folder) and make the bundle again; it resumes where it stopped.',
      {
        file,
      },
    );
  return err;
}

/**
 * Verified blobs by digest in one folder (sha256/<hex>), shared by every image of a bundle so a layer two images
 * share is fetched once. A blob takes its final name only after its SHA-256 matched; an interrupted download stays
 * as <hex>.partial and is continued with a Range request (or started over when the registry ignores Range).
 */
export class BlobStore {
  constructor(readonly dir: string) {}

  path(digest: string): string {
    return join(this.dir, 'sha256', digest.replace(/^sha256:/, ''));
  }

  async has(desc: BlobDescriptor): Promise<boolean> {
    try {
      return (await stat(this.path(desc.digest))).size === desc.size;
    } catch {
      return false;
    }
  }

  /** Keeps bytes already in hand (a manifest) under their digest. */
  async put(digest: string, data: Uint8Array): Promise<void> {
    const final = this.path(digest);
    await mkdir(join(this.dir, 'sha256'), { recursive: true });
    const tmp = `${final}.partial`;
    try {
      await pipeline(Readable.from([data]), createWriteStream(tmp));
      await rename(tmp, final);
    } catch (err) {
      await rm(tmp, { force: true });
      throw diskError(err, tmp);
    }
  }

  /** Downloads one blob of `ref` unless it is here already; returns the bytes that came over the network. */
  async fetch(client: RegistryClient, ref: ImageReference, desc: BlobDescriptor, onBytes: OnBytes = () => undefined): Promise<number> {
    if (!/^sha256:[0-9a-f]{64}$/.test(desc.digest))
      throw new KubesmithError('ImageInvalid', `${formatReference(ref)} names a blob by "${desc.digest}", which is not a SHA-256 digest.`);
    if (await this.has(desc)) return 0;
    const final = this.path(desc.digest);
    const partial = `${final}.partial`;
    await mkdir(join(this.dir, 'sha256'), { recursive: true });
    let offset = 0;
    try {
      offset = (await stat(partial)).size;
    } catch {
      offset = 0;
    }
    if (offset >= desc.size) {
      await rm(partial, { force: true });
      offset = 0;
    }
    const res = await client.get(ref, 'blobs', desc.digest, offset > 0 ? { range: `bytes=${offset}-` } : {});
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new KubesmithError(
        'ImageDownloadFailed',
        `${formatReference(ref)}: blob ${desc.digest.slice(0, 19)}… answered ${res.status}.`,
        'The registry or mirror may be missing this image.',
        { digest: desc.digest, status: res.status },
      );
    }
    const resumed = offset > 0 && res.status === 206 && (res.headers.get('content-range') ?? '').startsWith(`bytes ${offset}-`);
    if (!resumed) offset = 0;
    const hash = createHash('sha256');
    if (resumed) for await (const chunk of createReadStream(partial)) hash.update(chunk as Buffer);
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        received += chunk.length;
        onBytes(chunk.length);
        if (offset + received > desc.size) done(new Error('more bytes than the manifest says'));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>),
        counter,
        createWriteStream(partial, { flags: resumed ? 'a' : 'w' }),
      );
    } catch (err) {
      // What arrived stays as .partial for the next try; a full disk is said as such.
      const shaped = diskError(err, partial);
      if (shaped instanceof KubesmithError) {
        await rm(partial, { force: true });
        throw shaped;
      }
      throw new KubesmithError(
        'ImageDownloadFailed',
        `${formatReference(ref)}: the download of blob ${desc.digest.slice(0, 19)}… stopped after ${offset + received} of ${desc.size} bytes: ${(err as Error).message}.`,
        'Make the bundle again; it continues from where it stopped.',
        { digest: desc.digest },
      );
    }
    const got = `sha256:${hash.digest('hex')}`;
    if (got !== desc.digest || offset + received !== desc.size) {
      await rm(partial, { force: true });
      throw new KubesmithError(
        'ImageDigestMismatch',
        `${formatReference(ref)}: blob ${desc.digest} arrived as ${got} (${offset + received} of ${desc.size} bytes).`,
        'The registry or mirror served damaged or altered content; nothing of it was kept.',
        { digest: desc.digest, got },
      );
    }
    await rename(partial, final);
    return received;
  }
}
