import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { localWorkAsync } from '../timings/tally';

const known = new Map<string, { key: string; sha256: string }>();
/** Reads under way, by path and file key: every host of a run asks for the same artifacts at once. */
const reading = new Map<string, Promise<string>>();

/**
 * The SHA-256 of a file on this computer, read again only when its size, inode or mtime changed: every plan checks
 * the whole binary set (hundreds of MB), and re-reading it each time cost more than an unchanged re-run itself.
 * Asked again while a read of the same file is under way, it waits for that read: a 24-host run asked for each
 * artifact 24 times at once and read the 134 MB set 24 times over (10 s of this computer's CPU, on the cores the
 * lab's hosts share).
 */
export function localSha256(path: string): Promise<string> {
  return localWorkAsync(() => hashFile(path));
}

async function hashFile(path: string): Promise<string> {
  const info = await stat(path, { bigint: true });
  const key = `${info.size}:${info.ino}:${info.mtimeNs}`;
  const hit = known.get(path);
  if (hit?.key === key) return hit.sha256;
  const id = `${key}:${path}`;
  const under = reading.get(id);
  if (under) return under;
  const read = readSha256(path)
    .then((sha256) => {
      known.set(path, { key, sha256 });
      return sha256;
    })
    .finally(() => reading.delete(id));
  reading.set(id, read);
  return read;
}

async function readSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
