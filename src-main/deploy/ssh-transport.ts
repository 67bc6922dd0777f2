import { execUpload } from './engine/exec-upload';
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
            ? pool.upload(host.id, localPath, remotePath, { mode, sudo: true, ...(signal ? { signal } : {}) })
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
