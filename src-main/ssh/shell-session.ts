import type { ClientChannel } from 'ssh2';
import type { KubesmithError } from '../../src-shared/errors';
import type { PooledConnection } from './pooled-connection';
import { exitStatusOf } from './exit-status';

export interface ShellOptions {
  cols: number;
  rows: number;
  /** Default 'xterm-256color'. */
  term?: string;
  /** Pause the host's output once this many delivered bytes are unacknowledged; default 256 KiB. */
  highWaterMark?: number;
  /** Resume once acknowledgements bring it down to this; default 64 KiB. */
  lowWaterMark?: number;
}

export interface ShellExit {
  code: number | null;
  signal: string | null;
  /** Set when the connection failed rather than the shell ending. */
  error?: KubesmithError;
}

/** An interactive login shell on a PTY, with acknowledgement-based flow control. */
export interface ShellSession {
  /** Keystrokes and pasted text. */
  write(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** Raw output bytes; UTF-8 may be split between chunks (xterm's write(Uint8Array) copes). */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Called once; `reason` is a sentence for the terminal's status line. */
  onClose(listener: (reason: string, exit: ShellExit) => void): () => void;
  /** The consumer has drawn this many bytes. */
  ack(bytes: number): void;
  close(): void;
  readonly unacknowledgedBytes: number;
  /** Bytes received from the host but held back, not yet delivered; bounded by the SSH window (2 MiB in ssh2). */
  readonly heldBytes: number;
  /** Whether output is currently held back for lack of acknowledgements. */
  readonly paused: boolean;
}

export const DEFAULT_HIGH_WATER_MARK = 256 * 1024;
export const DEFAULT_LOW_WATER_MARK = 64 * 1024;

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n)));
}

export function ptyWindow(options: Pick<ShellOptions, 'cols' | 'rows' | 'term'>): {
  term: string;
  cols: number;
  rows: number;
  width: number;
  height: number;
} {
  return {
    term: options.term ?? 'xterm-256color',
    cols: clamp(options.cols, 2, 1000),
    rows: clamp(options.rows, 1, 500),
    width: 0,
    height: 0,
  };
}

/**
 * Wraps an open shell channel. Output is held (the channel paused, so ssh2
 * stops granting window and the server stops sending) while more than the
 * high-water mark is unacknowledged, and flows again below the low-water mark.
 */
export function createShellSession(conn: PooledConnection, channel: ClientChannel, options: ShellOptions): ShellSession {
  const high = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  const low = Math.min(options.lowWaterMark ?? DEFAULT_LOW_WATER_MARK, high);
  const dataListeners = new Set<(chunk: Buffer) => void>();
  const closeListeners = new Set<(reason: string, exit: ShellExit) => void>();
  let unacked = 0;
  let heldBack = false;
  // Once closing, whatever is still buffered is read out without regard to acknowledgements.
  let draining = false;
  let exit: ShellExit = { code: null, signal: null };
  let closedWith: { reason: string; exit: ShellExit } | undefined;

  const hold = (): void => {
    channel.pause();
    channel.stderr.pause();
  };
  // Nothing flows until someone listens, so the first prompt is not lost.
  hold();
  const flowIfPossible = (): void => {
    if (!heldBack && dataListeners.size > 0 && closedWith === undefined) {
      channel.resume();
      channel.stderr.resume();
    }
  };

  const deliver = (chunk: Buffer): void => {
    unacked += chunk.length;
    for (const listener of dataListeners) listener(chunk);
    if (!heldBack && !draining && unacked > high) {
      heldBack = true;
      hold();
    }
  };
  channel.on('data', deliver);
  channel.stderr.on('data', deliver);

  let connectionError: KubesmithError | undefined;
  const drain = (): void => {
    draining = true;
    heldBack = false;
    channel.resume();
    channel.stderr.resume();
  };
  // ssh2 reports a channel closed only once its buffered output is read, so a dead connection drains it.
  const stopWatching = conn.onClose((err) => {
    connectionError = err as KubesmithError;
    drain();
  });
  // Read at close: ssh2 may have emitted 'exit' before this channel reached us (see exit-status.ts).
  channel.once('close', (...closeArgs: unknown[]) => {
    stopWatching();
    exit = exitStatusOf(channel, closeArgs) ?? exit;
    if (connectionError !== undefined && exit.code === null && exit.signal === null) exit = { ...exit, error: connectionError };
    const reason =
      exit.error !== undefined
        ? exit.error.message
        : exit.signal !== null
          ? `The shell was ended by signal ${exit.signal}.`
          : exit.code !== null
            ? `The shell exited with code ${exit.code}.`
            : 'The shell closed.';
    closedWith = { reason, exit };
    for (const listener of closeListeners) listener(reason, exit);
    closeListeners.clear();
    dataListeners.clear();
  });

  return {
    write(data) {
      if (closedWith === undefined) channel.write(typeof data === 'string' ? data : Buffer.from(data));
    },
    resize(cols, rows) {
      if (closedWith !== undefined) return;
      const w = ptyWindow({ cols, rows });
      channel.setWindow(w.rows, w.cols, w.height, w.width);
    },
    onData(listener) {
      dataListeners.add(listener);
      flowIfPossible();
      return () => dataListeners.delete(listener);
    },
    onClose(listener) {
      if (closedWith !== undefined) {
        listener(closedWith.reason, closedWith.exit);
        return () => undefined;
      }
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    ack(bytes) {
      if (!Number.isFinite(bytes) || bytes <= 0) return;
      unacked = Math.max(0, unacked - bytes);
      if (heldBack && unacked <= low) {
        heldBack = false;
        flowIfPossible();
      }
    },
    close() {
      if (closedWith !== undefined) return;
      // Output nobody will read must not keep the channel (and its session slot) open.
      dataListeners.clear();
      drain();
      channel.end();
      channel.close();
    },
    get unacknowledgedBytes() {
      return unacked;
    },
    get heldBytes() {
      return channel.readableLength + channel.stderr.readableLength;
    },
    get paused() {
      return heldBack;
    },
  };
}
