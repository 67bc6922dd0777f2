import type { Host } from '../../../src-shared/model/cluster';
import type { ShellCommand } from '../../../src-shared/model/shell-command';

export interface RemoteExecOptions {
  stdin?: Uint8Array;
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
 * How the engine reaches one host. Every command runs as root (through sudo when the host needs it).
 * Errors of the connection itself (unreachable, lost, sudo refused, disk full) are thrown as KubesmithErrors.
 */
export interface HostTransport {
  /** Only a command from the builder (src-main/ssh/shell.ts): a plain string does not typecheck. */
  exec(command: ShellCommand, options?: RemoteExecOptions): Promise<RemoteResult>;
  /** Installs a local file atomically with the mode, skipping the transfer when the host already has the same SHA-256. */
  upload(
    localPath: string,
    remotePath: string,
    options: { mode: number; signal?: AbortSignal; onWait?: (ms: number) => void },
  ): Promise<{ transferred: number; skipped: boolean }>;
}

export interface TransportProvider {
  forHost(host: Host): HostTransport;
  /** Closes connections opened for the run. */
  close(): Promise<void>;
}
