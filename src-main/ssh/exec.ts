import type { ClientChannel } from 'ssh2';
import { commandCancelledError, commandTimedOutError, connectionLostError } from './errors';
import type { PooledConnection } from './pooled-connection';
import { exitStatusOf } from './exit-status';
import { ProcessGroupReader } from './process-group';
import { TailBuffer } from './tail-buffer';

export interface ExecOptions {
  /** Run as root through the host's sudo mode (a no-op when logging in as root). */
  sudo?: boolean;
  /**
   * Written to the command's stdin, which is then closed. Without it stdin is closed at once. A stream is written
   * chunk by chunk as the channel takes it (its window), so the source is read only as fast as the bytes leave.
   */
  stdin?: string | Uint8Array | AsyncIterable<Uint8Array>;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Stop the command when it runs longer than this (counted from when it starts, not while queued). */
  timeoutMs?: number;
  /** Cancels a queued or running command; a running one is killed on the host. */
  signal?: AbortSignal;
  /** stdout and stderr each keep at most this many bytes (the end), default 1 MiB. Callbacks still see everything. */
  maxBufferBytes?: number;
  /** What the command does, for error messages; defaults to its first line. Use it when the command holds a secret. */
  label?: string;
  /** How long a stopped command gets between SIGTERM and SIGKILL, default 1 s. */
  killGraceMs?: number;
  /** Told each time the command waits before it runs: for its connection (and sudo check), then for a channel. */
  onWait?: (ms: number) => void;
}

export interface ExecResult {
  /** The exit code; null when the command was killed by a signal. */
  code: number | null;
  /** e.g. "KILL", when the command died of a signal. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when stdout or stderr outgrew maxBufferBytes and only its end is kept. */
  truncated: boolean;
}

const DEFAULT_MAX_BUFFER = 1024 * 1024;

export function defaultLabel(command: string): string {
  const first = command.trim().split('\n')[0] ?? '';
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}

/**
 * Runs one command on a freshly opened exec channel. `stdinPrefix` goes
 * first on stdin (it is how the sudo password travels: never on the command line).
 */
export function runOnChannel(
  conn: PooledConnection,
  channel: ClientChannel,
  options: ExecOptions,
  label: string,
  stdinPrefix?: string,
  /** Kills the command's process group on the host (see process-group.ts). */
  killGroup?: (pgid: number, graceMs: number) => void,
): Promise<ExecResult> {
  const { signal } = options;
  const stdout = new TailBuffer(options.maxBufferBytes ?? DEFAULT_MAX_BUFFER);
  const stderr = new TailBuffer(options.maxBufferBytes ?? DEFAULT_MAX_BUFFER);

  const stderrReader = new ProcessGroupReader((chunk) => {
    stderr.push(chunk);
    options.onStderr?.(chunk);
  });
  let killRequested: number | undefined;
  let killSent = false;
  // A command cancelled in its first milliseconds may not have reported its group yet.
  const killWhenKnown = (): void => {
    if (killRequested === undefined || killSent || stderrReader.pgid === undefined || killGroup === undefined) return;
    killSent = true;
    killGroup(stderrReader.pgid, killRequested);
  };

  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    let endPump = (): void => undefined;
    const pumpEnded = new Promise<void>((resolve) => (endPump = resolve));
    const finish = (outcome: { result: ExecResult } | { error: unknown }): void => {
      if (settled) return;
      settled = true;
      endPump();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      stopWatchingConnection();
      if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };

    // sshd honours "signal" only for non-root logins, so the process group is also killed from a
    // second channel; closing the channel alone would leave the command running.
    const stop = (error: unknown): void => {
      if (settled) return;
      const grace = options.killGraceMs ?? 1000;
      try {
        channel.signal('TERM');
      } catch {
        // The channel may already be closing.
      }
      killRequested = grace;
      killWhenKnown();
      killTimer = setTimeout(() => {
        try {
          channel.signal('KILL');
        } catch {
          // Already gone.
        }
        channel.close();
      }, grace + 500);
      channel.once('close', () => clearTimeout(killTimer));
      finish({ error });
    };

    const onAbort = (): void => stop(commandCancelledError(conn.ctx, label));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => stop(commandTimedOutError(conn.ctx, label, options.timeoutMs ?? 0)), options.timeoutMs);
    }
    const stopWatchingConnection = conn.onClose((err) => finish({ error: err ?? connectionLostError(conn.ctx) }));

    channel.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      options.onStdout?.(chunk);
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      stderrReader.push(chunk);
      killWhenKnown();
    });
    // The exit status is read at close, not from an 'exit' listener here: ssh2 may have emitted 'exit'
    // before this channel reached us (see exit-status.ts).
    channel.on('close', (...closeArgs: unknown[]) => {
      stderrReader.end();
      const exit = exitStatusOf(channel, closeArgs);
      if (exit === undefined) {
        finish({ error: connectionLostError(conn.ctx, `"${label}" ended without an exit status`) });
        return;
      }
      finish({
        result: {
          code: exit.code,
          signal: exit.signal,
          stdout: stdout.toString(),
          stderr: stderr.toString(),
          truncated: stdout.droppedBytes > 0 || stderr.droppedBytes > 0,
        },
      });
    });

    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    if (stdinPrefix !== undefined) channel.write(stdinPrefix);
    const input = options.stdin;
    if (input === undefined || typeof input === 'string' || input instanceof Uint8Array) {
      if (input !== undefined) channel.write(input);
      channel.end();
      return;
    }
    pumpStdin(channel, input, () => settled, pumpEnded).then(
      () => channel.end(),
      (err: unknown) => stop(err),
    );
  });
}

/**
 * Writes a stream to the channel, waiting for 'drain' whenever the channel's buffer is full; stops (closing the
 * source, so a file it reads is closed) once the command settled, even when a lost connection never drains.
 */
async function pumpStdin(
  channel: ClientChannel,
  source: AsyncIterable<Uint8Array>,
  settled: () => boolean,
  ended: Promise<void>,
): Promise<void> {
  let closed = false;
  channel.once('close', () => (closed = true));
  for await (const chunk of source) {
    if (settled() || closed) return;
    if (channel.write(chunk)) continue;
    let done = (): void => undefined;
    await Promise.race([
      ended,
      new Promise<void>((resolve) => {
        done = (): void => {
          channel.off('drain', done);
          channel.off('close', done);
          resolve();
        };
        channel.on('drain', done);
        channel.on('close', done);
      }),
    ]);
    done();
  }
}
