import { open as openLocal } from 'node:fs/promises';
import type { OpenMode, SFTPWrapper } from 'ssh2';
import type { SshErrorContext } from './errors';

/** An SFTP failure tagged with the step it happened in, so errors.ts can tell "disk full" from "rename failed". */
export class SftpStepError extends Error {
  constructor(
    readonly step: NonNullable<SshErrorContext['sftpStep']>,
    readonly remotePath: string,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'SftpStepError';
  }
}

function step<T>(
  name: SftpStepError['step'],
  path: string,
  run: (cb: (err: Error | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      run((err, value) => (err !== null && err !== undefined ? reject(new SftpStepError(name, path, err)) : resolve(value as T)));
    } catch (err) {
      reject(new SftpStepError(name, path, err));
    }
  });
}

export const sftpCalls = {
  open: (sftp: SFTPWrapper, path: string, flags: OpenMode, mode: number) =>
    step<Buffer>('open', path, (cb) => sftp.open(path, flags, { mode }, cb)),
  close: (sftp: SFTPWrapper, handle: Buffer, path: string) => step<void>('close', path, (cb) => sftp.close(handle, cb)),
  fchmod: (sftp: SFTPWrapper, handle: Buffer, path: string, mode: number) =>
    step<void>('setstat', path, (cb) => sftp.fchmod(handle, mode, cb)),
  /** fsync@openssh.com; servers without it just skip the sync. */
  fsync: (sftp: SFTPWrapper, handle: Buffer, path: string) =>
    step<void>('fsync', path, (cb) => {
      try {
        sftp.ext_openssh_fsync(handle, cb);
      } catch {
        cb(undefined);
      }
    }),
  /** posix-rename@openssh.com replaces the target atomically; plain SFTP rename refuses an existing target. */
  posixRename: (sftp: SFTPWrapper, from: string, to: string) => step<void>('rename', to, (cb) => sftp.ext_openssh_rename(from, to, cb)),
  unlink: (sftp: SFTPWrapper, path: string) => step<void>('unlink', path, (cb) => sftp.unlink(path, cb)),
  realpath: (sftp: SFTPWrapper, path: string) => step<string>('stat', path, (cb) => sftp.realpath(path, cb)),
};

export interface PipelinedWriteOptions {
  /** Bytes per SFTP write request. */
  chunkSize: number;
  /** Write requests in flight at once. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (sentBytes: number) => void;
}

/**
 * Streams a local file into an open remote handle with several writes in
 * flight, which is what makes SFTP fast over anything but zero latency.
 */
export async function writeLocalFileToHandle(
  sftp: SFTPWrapper,
  handle: Buffer,
  remotePath: string,
  localPath: string,
  options: PipelinedWriteOptions,
): Promise<number> {
  const local = await openLocal(localPath, 'r');
  try {
    const size = (await local.stat()).size;
    let nextOffset = 0;
    let written = 0;
    const writeOne = (buf: Buffer, position: number): Promise<void> =>
      step<void>('write', remotePath, (cb) => sftp.write(handle, buf, 0, buf.length, position, (err) => cb(err)));

    const worker = async (): Promise<void> => {
      while (nextOffset < size) {
        if (options.signal?.aborted === true) throw options.signal.reason;
        const position = nextOffset;
        const length = Math.min(options.chunkSize, size - position);
        nextOffset += length;
        const buf = Buffer.allocUnsafe(length);
        const { bytesRead } = await local.read(buf, 0, length, position);
        if (bytesRead !== length) throw new Error(`${localPath} changed while it was being uploaded`);
        await writeOne(buf, position);
        written += length;
        options.onProgress?.(written);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    return written;
  } finally {
    await local.close();
  }
}
