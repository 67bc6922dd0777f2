import { readFile } from 'node:fs/promises';
import { KubesmithError } from '../../../src-shared/errors';
import { localSha256 } from '../binaries/local-sha';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { sh } from '../../ssh/shell';
import { atomicWriteCommand } from './file-step';
import type { RemoteExecOptions, RemoteResult } from './transport';

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
 * Installs a local file on a host through exec alone: compare SHA-256 first (nothing sent when equal), else
 * stream the bytes on stdin into a temp file beside the target, check its SHA-256 and rename it into place.
 * Works as root through sudo the same way every command does.
 */
export async function execUpload(
  exec: Exec,
  localPath: string,
  remotePath: string,
  mode: number,
  signal?: AbortSignal,
  hostName?: string,
): Promise<{ transferred: number; skipped: boolean }> {
  const opts = signal ? { signal } : {};
  const sha256 = await localSha256(localPath);
  const modeText = (mode & 0o7777).toString(8).padStart(4, '0');
  const p = remotePath;
  const state = await exec(sh`if [ -f ${p} ]; then sha256sum ${p} | cut -c1-64; stat -c %a ${p}; fi`.command, opts);
  const [remoteSha, remoteMode] = state.stdout.trim().split('\n');
  if (remoteSha === sha256) {
    if (remoteMode !== undefined && parseInt(remoteMode, 8) === (mode & 0o7777)) return { transferred: 0, skipped: true };
    await exec(sh`chmod ${modeText} ${p}`.command, opts);
    return { transferred: 0, skipped: true };
  }
  const data = await readFile(localPath);
  const r = await exec(atomicWriteCommand(remotePath, sha256, modeText).command, { stdin: data, ...opts });
  if (r.code !== 0) {
    if (isDiskFull(r.stderr)) throw await diskFullError(exec, remotePath, hostName, opts);
    throw new KubesmithError(
      'UploadFailed',
      `Writing ${remotePath} failed: ${r.stderr.trim().split('\n').slice(-2).join(' ') || `exit code ${r.code}`}.`,
      undefined,
      { path: remotePath },
    );
  }
  return { transferred: data.length, skipped: false };
}
