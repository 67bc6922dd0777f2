import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KubesmithError } from '../../../src-shared/errors';

async function get(url: string, signal?: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', ...(signal ? { signal } : {}) });
  } catch (err) {
    throw new KubesmithError(
      'DownloadFailed',
      `Could not reach ${url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}.`,
      "Check this computer's internet connection, or use a mirror or an offline bundle.",
      { url },
    );
  }
  if (!res.ok || !res.body)
    throw new KubesmithError(
      'DownloadFailed',
      `${url} answered ${res.status} ${res.statusText}.`,
      'The version may not exist on this source; check the mirror prefix.',
      { url, status: res.status },
    );
  return res;
}

export async function fetchText(url: string, signal?: AbortSignal): Promise<string> {
  return (await get(url, signal)).text();
}

/**
 * Downloads url to path, hashing as it streams; the file appears at path only when its SHA-256 is the
 * published one. A wrong hash leaves nothing behind.
 */
export async function downloadVerified(
  url: string,
  path: string,
  expectedSha256: string,
  signal?: AbortSignal,
): Promise<{ bytes: number }> {
  const res = await get(url, signal);
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    await pipeline(body, createWriteStream(tmp, { mode: 0o644 }), ...(signal ? [{ signal }] : []));
    const got = hash.digest('hex');
    if (got !== expectedSha256.toLowerCase()) {
      throw new KubesmithError(
        'ChecksumMismatch',
        `${url} does not match its published SHA-256 (expected ${expectedSha256}, got ${got}).`,
        'The download was damaged or tampered with; nothing was kept. Try again, or use another mirror.',
        { url },
      );
    }
    await rename(tmp, path);
    return { bytes };
  } finally {
    await rm(tmp, { force: true });
  }
}
