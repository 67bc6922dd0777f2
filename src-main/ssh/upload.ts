import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { KubesmithError } from '../../src-shared/errors';
import {
  commandCancelledError,
  describeSshError,
  diskFullError,
  noSuchPathError,
  permissionDeniedError,
  type SshErrorContext,
} from './errors';
import type { ExecOptions, ExecResult } from './exec';
import { SftpStepError, sftpCalls, writeLocalFileToHandle } from './sftp-calls';
import { shellQuote } from './shell';
import { sha256OfFile } from './host-sha256';

export interface UploadOptions {
  /** File mode on the host, default 0o644. */
  mode?: number;
  /** "user" or "user:group"; changing owner needs root (sudo, or logging in as root). */
  owner?: string;
  /** Write the file as root through the host's sudo mode (a no-op when logging in as root). */
  sudo?: boolean;
  signal?: AbortSignal;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** Bytes per SFTP write request, default 128 KiB. */
  chunkSize?: number;
  /** SFTP write requests in flight, default 16 (with 128 KiB, the 2 MiB an OpenSSH channel window holds). */
  concurrency?: number;
}

export interface UploadResult {
  /** Bytes sent over the wire: 0 when skipped. */
  transferred: number;
  /** True when the host already had the same content (SHA-256), so nothing was sent. */
  skipped: boolean;
  sha256: string;
}

/** What upload needs from the pool, for one host. */
export interface UploadHost {
  ctx: SshErrorContext;
  loginUser: string;
  exec(command: string, options: ExecOptions): Promise<ExecResult>;
  /** An SFTP session; it takes one session slot until ended. */
  openSftp(signal?: AbortSignal): Promise<SFTPWrapper>;
}

interface RemoteState {
  kind: 'missing' | 'dir' | 'file';
  mode?: string;
  user?: string;
  group?: string;
  sha256?: string;
}

async function localSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function parseOwner(owner: string | undefined): { user?: string; group?: string } {
  if (owner === undefined || owner === '') return {};
  const [user, group] = owner.split(':');
  return { ...(user !== undefined && user !== '' ? { user } : {}), ...(group !== undefined && group !== '' ? { group } : {}) };
}

export function parseRemoteState(stdout: string): RemoteState {
  const lines = stdout.trim().split('\n');
  if (lines[0] === 'missing') return { kind: 'missing' };
  if (lines[0] === 'dir') return { kind: 'dir' };
  const [mode, user, group] = (lines[0] ?? '').split(' ');
  const sha256 = /^[0-9a-f]{64}/.exec(lines[1] ?? '')?.[0];
  return {
    kind: 'file',
    ...(mode !== undefined ? { mode } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(group !== undefined ? { group } : {}),
    ...(sha256 !== undefined ? { sha256 } : {}),
  };
}

function stateScript(path: string): string {
  const p = shellQuote(path);
  return `if [ -d ${p} ]; then echo dir; elif [ -e ${p} ]; then stat -L -c '%a %U %G' -- ${p} && ${sha256OfFile(path, 'large').command}; else echo missing; fi`;
}

function explainFailedCommand(ctx: SshErrorContext, what: string, result: ExecResult): KubesmithError {
  const said = result.stderr.trim().split('\n').slice(-3).join(' ');
  if (/No space left on device|Disk quota exceeded/.test(said)) return diskFullError(ctx);
  if (/Permission denied|Operation not permitted|Read-only file system/.test(said)) return permissionDeniedError(ctx);
  if (/No such file or directory/.test(said)) return noSuchPathError(ctx);
  return new KubesmithError(
    'UploadFailed',
    `${what} on ${ctx.hostLabel} failed: ${said || `exit code ${String(result.code)}`}.`,
    undefined,
    {
      path: ctx.path,
    },
  );
}

/** @param where the path to name in the message: the staging file when that is what failed (its disk may be another). */
function describeStep(err: unknown, ctx: SshErrorContext, signal: AbortSignal | undefined, where?: string): KubesmithError {
  if (signal?.aborted === true && !(err instanceof KubesmithError)) return commandCancelledError(ctx, `upload of ${ctx.path ?? 'a file'}`);
  if (err instanceof SftpStepError)
    return describeSshError(err.original, { ...ctx, sftpStep: err.step, path: where ?? ctx.path ?? err.remotePath });
  return describeSshError(err, ctx);
}

function tempName(dir: string, base: string): string {
  return posix.join(dir, `.${base}.ks-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Uploads a file so the host sees either the old content or the new, never
 * part of it: a temp file in the target folder renamed over the target.
 * With sudo, the bytes go to a private temp file in the login user's home
 * first and root installs them into place. A file whose SHA-256 already
 * matches is not sent again; only its mode and owner are corrected.
 */
export async function uploadFile(
  host: UploadHost,
  localPath: string,
  remotePath: string,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const ctx: SshErrorContext = { ...host.ctx, path: remotePath };
  if (!remotePath.startsWith('/')) {
    throw new KubesmithError('InvalidPath', `The upload target "${remotePath}" must be an absolute path.`, undefined, { path: remotePath });
  }
  const mode = options.mode ?? 0o644;
  const modeText = (mode & 0o7777).toString(8);
  const owner = parseOwner(options.owner);
  const asRoot = options.sudo === true;
  const runAs = (command: string, label: string): Promise<ExecResult> =>
    host.exec(command, { sudo: asRoot, label, ...(options.signal !== undefined ? { signal: options.signal } : {}) });

  const localStat = await stat(localPath).catch((err: unknown) => {
    throw new KubesmithError(
      'LocalFileUnreadable',
      `Cannot read ${localPath} on this computer: ${err instanceof Error ? err.message : String(err)}.`,
      undefined,
      {
        localPath,
      },
    );
  });
  // Hashing the local file, asking the host about its copy and starting SFTP all overlap: each
  // takes a round trip or more. The SFTP session is closed unused when the upload is skipped.
  const sftpOpening = host.openSftp(options.signal);
  sftpOpening.catch(() => undefined);
  const closeUnusedSftp = (): void =>
    void sftpOpening.then(
      (sftp) => sftp.end(),
      () => undefined,
    );
  let sha256: string;
  let stateResult: ExecResult;
  try {
    [sha256, stateResult] = await Promise.all([localSha256(localPath), runAs(stateScript(remotePath), `check ${remotePath}`)]);
  } catch (err) {
    closeUnusedSftp();
    throw err;
  }
  if (stateResult.code !== 0) {
    closeUnusedSftp();
    throw explainFailedCommand(ctx, `Checking ${remotePath}`, stateResult);
  }
  const state = parseRemoteState(stateResult.stdout);
  if (state.kind === 'dir') {
    closeUnusedSftp();
    throw new KubesmithError(
      'InvalidPath',
      `${remotePath} on ${ctx.hostLabel} is a folder, not a file.`,
      'Give the full path of the file to write.',
      {
        path: remotePath,
      },
    );
  }

  const ownerMatches = (s: RemoteState): boolean =>
    (owner.user === undefined || owner.user === s.user) && (owner.group === undefined || owner.group === s.group);

  if (state.kind === 'file' && state.sha256 === sha256) {
    closeUnusedSftp();
    if (state.mode !== modeText || !ownerMatches(state)) {
      const fix = [
        `chmod ${modeText} -- ${shellQuote(remotePath)}`,
        ...(options.owner !== undefined ? [`chown ${shellQuote(options.owner)} -- ${shellQuote(remotePath)}`] : []),
      ].join(' && ');
      const fixed = await runAs(fix, `set mode of ${remotePath}`);
      if (fixed.code !== 0) throw explainFailedCommand(ctx, `Setting the mode of ${remotePath}`, fixed);
    }
    return { transferred: 0, skipped: true, sha256 };
  }

  const needsRootInstall = asRoot && host.loginUser !== 'root';
  const dir = posix.dirname(remotePath);
  const sftp = await sftpOpening.catch((err: unknown) => {
    throw describeSshError(err, ctx);
  });
  try {
    const write = async (target: string, fileMode: number): Promise<number> => {
      const handle = await sftpCalls.open(sftp, target, 'wx', 0o600);
      try {
        const sent = await writeLocalFileToHandle(sftp, handle, target, localPath, {
          chunkSize: options.chunkSize ?? 128 * 1024,
          concurrency: options.concurrency ?? 16,
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
          onProgress: (n) => options.onProgress?.(n, localStat.size),
        });
        await sftpCalls.fsync(sftp, handle, target);
        await sftpCalls.fchmod(sftp, handle, target, fileMode);
        return sent;
      } finally {
        await sftpCalls.close(sftp, handle, target).catch(() => undefined);
      }
    };

    if (!needsRootInstall) {
      const temp = tempName(dir, posix.basename(remotePath));
      try {
        const sent = await write(temp, mode);
        if (options.owner !== undefined && !(owner.user === host.loginUser && owner.group === undefined)) {
          const chowned = await runAs(`chown ${shellQuote(options.owner)} -- ${shellQuote(temp)}`, `set owner of ${remotePath}`);
          if (chowned.code !== 0) throw explainFailedCommand(ctx, `Setting the owner of ${remotePath}`, chowned);
        }
        await sftpCalls.posixRename(sftp, temp, remotePath);
        return { transferred: sent, skipped: false, sha256 };
      } catch (err) {
        await sftpCalls.unlink(sftp, temp).catch(() => undefined);
        throw describeStep(err, ctx, options.signal);
      }
    }

    const home = await sftpCalls.realpath(sftp, '.').catch(() => '/tmp');
    const staged = posix.join(home, `.ks-upload-${randomBytes(6).toString('hex')}.tmp`);
    try {
      const sent = await write(staged, 0o600);
      const temp = tempName(dir, posix.basename(remotePath));
      const installFlags = [
        `-m ${modeText}`,
        ...(owner.user !== undefined ? [`-o ${shellQuote(owner.user)}`] : []),
        ...(owner.group !== undefined ? [`-g ${shellQuote(owner.group)}`] : []),
      ].join(' ');
      const cleanup = `rm -f -- ${shellQuote(staged)} ${shellQuote(temp)}`;
      // install copies into a temp file beside the target; mv then replaces the target in one rename.
      const script = [
        'set -e',
        `trap ${shellQuote(cleanup)} EXIT`,
        `install ${installFlags} -- ${shellQuote(staged)} ${shellQuote(temp)}`,
        `sync -- ${shellQuote(temp)} 2>/dev/null || true`,
        `mv -f -- ${shellQuote(temp)} ${shellQuote(remotePath)}`,
      ].join('\n');
      const installed = await runAs(script, `install ${remotePath}`);
      if (installed.code !== 0) throw explainFailedCommand(ctx, `Installing ${remotePath}`, installed);
      return { transferred: sent, skipped: false, sha256 };
    } catch (err) {
      await sftpCalls.unlink(sftp, staged).catch(() => undefined);
      throw describeStep(err, ctx, options.signal, staged);
    }
  } finally {
    sftp.end();
  }
}
