import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { KubesmithError } from '../../../src-shared/errors';
import { localSha256 } from '../binaries/local-sha';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { sh } from '../../ssh/shell';
import { octalMode, type RemoteExecOptions, type RemoteResult, type UploadProgress } from './transport';
import {
  parseUploadState,
  resumableWriteCommand,
  UPLOAD_INCOMPLETE,
  UPLOAD_PART_CHANGED,
  uploadStateCommand,
  type UploadState,
} from './upload-commands';

export const isDiskFull = (stderr: string): boolean => /No space left on device|Disk quota exceeded/.test(stderr);

type Exec = (command: ShellCommand, options?: RemoteExecOptions) => Promise<RemoteResult>;

/** DiskFull for a write to `path` that failed for space, naming the host and the filesystem as `df` sees it. */
export async function diskFullError(exec: Exec, path: string, hostName?: string, opts?: RemoteExecOptions): Promise<KubesmithError> {
  const dir = path.slice(0, path.lastIndexOf('/')) || '/';
  const df = await exec(sh`df -hP ${dir} | awk 'NR == 2 { print $6 " on " $1 ", " $4 " free of " $2 }'`.command, opts).catch(
    () => undefined,
  );
  const where = df?.code === 0 && df.stdout.trim() ? ` (${df.stdout.trim()})` : '';
  return new KubesmithError(
    'DiskFull',
    `${hostName ? `${hostName}: the` : 'The'} disk holding ${path}${where} is full; the file was not written (the old one, if any, is untouched).`,
    'Free some space on the host, then Retry step.',
    { path },
  );
}

/**
 * Installs a local file on a host through exec alone: compare SHA-256 first (nothing sent when equal), else stream
 * the bytes on stdin into a partial file beside the target, check its SHA-256 and rename it into place. A partial file
 * a cut upload of the same bytes left there (upload-commands.ts) is continued from its end when its bytes are the
 * start of this file; otherwise the upload starts over. Works as root through sudo the same way every command does.
 */
export async function execUpload(
  exec: Exec,
  localPath: string,
  remotePath: string,
  mode: number,
  signal?: AbortSignal,
  hostName?: string,
  onProgress?: UploadProgress,
  /** Set on the second look, after the partial file changed under the first: the bytes that try sent. */
  again?: { sent: number },
): Promise<{ transferred: number; skipped: boolean }> {
  const sentBefore = again?.sent ?? 0;
  const opts = signal ? { signal } : {};
  const sha256 = await localSha256(localPath);
  const modeText = octalMode(mode);
  const state = parseUploadState((await exec(uploadStateCommand(remotePath, sha256).command, opts)).stdout);
  if (state.file?.sha256 === sha256) {
    if (state.file.mode !== (mode & 0o7777)) await exec(sh`chmod ${modeText} ${remotePath}`.command, opts);
    return { transferred: sentBefore, skipped: sentBefore === 0 };
  }
  const size = (await stat(localPath)).size;
  const offset = await resumeOffset(localPath, size, state.part);
  const counted = { bytes: 0 };
  const command = resumableWriteCommand({ path: remotePath, sha256, mode: modeText, offset, size });
  const r = await exec(command.command, { stdin: fileBytes(localPath, offset, size, counted, onProgress), ...opts });
  if (r.code !== 0) {
    if (isDiskFull(r.stderr)) throw await diskFullError(exec, remotePath, hostName, opts);
    // The bytes stopped early without the connection being reported lost: the same as a lost connection, so the
    // engine's retry on a new one continues from the partial file.
    if (r.code === UPLOAD_INCOMPLETE) throw connectionLost(hostName, remotePath, r.stderr);
    // A writer of a cut attempt still appended after the check (its session ends late): look again, once.
    if (r.code === UPLOAD_PART_CHANGED && !again)
      return execUpload(exec, localPath, remotePath, mode, signal, hostName, onProgress, { sent: counted.bytes });
    throw new KubesmithError(
      'UploadFailed',
      `Writing ${remotePath} failed: ${r.stderr.trim().split('\n').slice(-2).join(' ') || `exit code ${r.code}`}.`,
      undefined,
      { path: remotePath },
    );
  }
  return { transferred: sentBefore + counted.bytes, skipped: false };
}

/** Where to continue: the partial file's size when its bytes are the start of the local file, else 0. */
async function resumeOffset(localPath: string, size: number, part: UploadState['part']): Promise<number> {
  if (!part || part.size === 0 || part.size >= size) return 0;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(localPath, { start: 0, end: part.size - 1, highWaterMark: CHUNK }))
    hash.update(chunk as Buffer);
  return hash.digest('hex') === part.sha256 ? part.size : 0;
}

const CHUNK = 256 * 1024;

/** The file's bytes from `offset`, counting into `counted` and telling `onProgress` as each chunk is taken. */
async function* fileBytes(
  localPath: string,
  offset: number,
  size: number,
  counted: { bytes: number },
  onProgress?: UploadProgress,
): AsyncGenerator<Uint8Array> {
  onProgress?.(offset, size);
  if (offset >= size) return;
  for await (const chunk of createReadStream(localPath, { start: offset, highWaterMark: CHUNK })) {
    const bytes = chunk as Buffer;
    counted.bytes += bytes.length;
    onProgress?.(offset + counted.bytes, size);
    yield bytes;
  }
}

function connectionLost(hostName: string | undefined, path: string, stderr: string): KubesmithError {
  return new KubesmithError(
    'ConnectionLost',
    `${hostName ? `${hostName}: ` : ''}the upload of ${path} stopped early (${stderr.trim().split('\n').pop() ?? ''}).`,
    'Resume continues from the bytes already on the host.',
    { path },
  );
}
