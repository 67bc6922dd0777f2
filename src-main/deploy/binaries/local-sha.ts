import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { localWorkAsync } from '../timings/tally';

const known = new Map<string, { key: string; sha256: string }>();

/**
 * The SHA-256 of a file on this computer, read again only when its size, inode or mtime changed: every plan checks
 * the whole binary set (hundreds of MB), and re-reading it each time cost more than an unchanged re-run itself.
 */
export function localSha256(path: string): Promise<string> {
  return localWorkAsync(() => hashFile(path));
}

async function hashFile(path: string): Promise<string> {
  const info = await stat(path, { bigint: true });
  const key = `${info.size}:${info.ino}:${info.mtimeNs}`;
  const hit = known.get(path);
  if (hit?.key === key) return hit.sha256;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  known.set(path, { key, sha256 });
  return sha256;
}
