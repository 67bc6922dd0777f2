import { sh } from '../ssh/shell';
import { execUpload } from './engine/exec-upload';
import { StepFailedError } from './engine/step-error';
import type { HostTransport, TransportProvider } from './engine/transport';

/** What the engine needs of the SSH layer's pool (structural, so tests and the CLI can hand in their own). */
export interface SshExecutor {
  exec(
    hostId: string,
    command: string,
    options: {
      sudo?: boolean;
      stdin?: Uint8Array | AsyncIterable<Uint8Array>;
      signal?: AbortSignal;
      timeoutMs?: number;
      onStdout?: (c: Buffer) => void;
      onStderr?: (c: Buffer) => void;
      onWait?: (ms: number) => void;
    },
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  upload(
    hostId: string,
    localPath: string,
    remotePath: string,
    options: { mode?: number; sudo?: boolean; signal?: AbortSignal },
  ): Promise<{ transferred: number; skipped: boolean }>;
}

/** The SFTP path writes into the target's folder, which the exec path's command makes by itself. */
async function sftpUpload(
  exec: HostTransport['exec'],
  pool: SshExecutor,
  hostId: string,
  localPath: string,
  remotePath: string,
  mode: number,
  signal: AbortSignal | undefined,
): Promise<{ transferred: number; skipped: boolean }> {
  const dir = remotePath.slice(0, remotePath.lastIndexOf('/')) || '/';
  const made = await exec(sh`mkdir -p ${dir}`.command, signal ? { signal } : {});
  if (made.code !== 0) throw new StepFailedError(`Upload ${remotePath}`, `mkdir -p ${dir}`, made.code, made.stderr, made.stdout);
  return pool.upload(hostId, localPath, remotePath, { mode, sudo: true, ...(signal ? { signal } : {}) });
}

/**
 * Every command as root through the host's sudo mode; uploads the same way. Uploads go through exec (SHA-256
 * check, then the bytes on stdin into a checked temp file renamed into place) unless `sftp` is set: the SSH
 * layer's SFTP upload lost its connection under parallel use when this was written (see the deploy report).
 */
export function sshTransports(
  pool: SshExecutor,
  close: () => Promise<void> = async () => undefined,
  options: { sftp?: boolean } = {},
): TransportProvider {
  return {
    forHost: (host) => {
      const exec: HostTransport['exec'] = (command, o = {}) => pool.exec(host.id, command, { ...o, sudo: true });
      return {
        exec,
        upload: (localPath, remotePath, { mode, signal, onWait, onProgress }) =>
          options.sftp
            ? sftpUpload(exec, pool, host.id, localPath, remotePath, mode, signal)
            : execUpload(
                (c, o) => exec(c, { ...o, ...(onWait ? { onWait } : {}) }),
                localPath,
                remotePath,
                mode,
                signal,
                host.name,
                onProgress,
              ),
      };
    },
    close,
  };
}
