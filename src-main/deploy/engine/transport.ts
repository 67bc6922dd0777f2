import type { Host } from '../../../src-shared/model/cluster';
import type { ShellCommand } from '../../../src-shared/model/shell-command';

export interface RemoteExecOptions {
  /** A stream is read only as fast as the connection takes it (a large upload's bytes). */
  stdin?: Uint8Array | AsyncIterable<Uint8Array>;
  signal?: AbortSignal;
  timeoutMs?: number;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Told how long the command waited for a connection or a session channel before it could run (run timings). */
  onWait?: (ms: number) => void;
}

export interface RemoteResult {
  /** null when the command died of a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Told as an upload's bytes leave (the bytes of the file on the host so far, counting what a resumed upload found
 * there, and the file's size). Not called when nothing needs sending.
 */
export type UploadProgress = (doneBytes: number, totalBytes: number) => void;

/**
 * How the engine reaches one host. Every command runs as root (through sudo when the host needs it).
 * Errors of the connection itself (unreachable, lost, sudo refused, disk full) are thrown as KubesmithErrors.
 */
export interface HostTransport {
  /** Only a command from the builder (src-main/ssh/shell.ts): a plain string does not typecheck. */
  exec(command: ShellCommand, options?: RemoteExecOptions): Promise<RemoteResult>;
  /**
   * Installs a local file atomically with the mode, skipping the transfer when the host already has the same SHA-256.
   * Makes the target's folder when it is missing (the upload's own command does, so no round trip goes to it).
   */
  upload(
    localPath: string,
    remotePath: string,
    options: {
      mode: number;
      signal?: AbortSignal;
      onWait?: (ms: number) => void;
      onProgress?: UploadProgress;
      /**
       * The caller read the host's file state in this run and the host did not hold these bytes: the transport
       * sends them without asking the host again (an upload that can resume still reads its partial file).
       */
      lacking?: boolean;
    },
  ): Promise<{ transferred: number; skipped: boolean }>;
  /**
   * Told by a job, once it read the host's file states and before its steps run, which local files it is going to
   * upload, in plan order, so the transport can start moving them ahead of the steps (the relay stages them on its
   * host while the hosts fetch the earlier ones). A hint only: the uploads still come, and nothing depends on it.
   */
  expectUploads?(localPaths: readonly string[], signal?: AbortSignal): void;
  /**
   * Files a job's snapshot found lacking on the host (as `lacking` above), in plan order, installed in one go where the
   * transport can (the relay: one command fetches them all). One outcome per file, in order; after a failed file the
   * ones behind it are not tried. Connection errors are thrown. A transport without it gets one upload per file.
   */
  uploadLacking?(
    files: readonly LackingUpload[],
    options: { signal?: AbortSignal; onWait?: (ms: number) => void; onProgress?: UploadProgress },
  ): Promise<UploadOutcome[]>;
}

export interface LackingUpload {
  localPath: string;
  remotePath: string;
  mode: number;
}

export type UploadOutcome = { ok: true; transferred: number; skipped: boolean } | { ok: false; error: unknown };

export interface TransportProvider {
  forHost(host: Host): HostTransport;
  /** Closes connections opened for the run. */
  close(): Promise<void>;
}

/** An upload's mode (the `mode` of `upload`) as the four octal digits chmod and the write commands take. */
export const octalMode = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

/** The size of a command's stdin when it is known up front: 0 for a stream (an upload counts its own bytes). */
export const stdinLength = (stdin: RemoteExecOptions['stdin']): number => (stdin instanceof Uint8Array ? stdin.length : 0);
