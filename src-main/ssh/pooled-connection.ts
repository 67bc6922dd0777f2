import type { Client, ClientChannel, PseudoTtyOptions, SFTPWrapper } from 'ssh2';
import { ChannelGate, openThroughGate } from './channel-gate';
import { connectionLostError, describeSshError, type SshErrorContext } from './errors';
import { errorContext, type SshEndpoint } from './connect';
import { recordExitStatus } from './exit-status';

export interface PooledConnectionOptions {
  /** The server's MaxSessions, as far as we know; OpenSSH's default is 10. */
  maxSessions: number;
  /** Close the connection after this long with nothing open on it; 0 keeps it forever. */
  idleTimeoutMs: number;
}

/** Wraps ssh2's open callback so the exit status is recorded before anything else can miss it (see exit-status.ts). */
function withExitStatus(
  done: (err: Error | undefined, channel: ClientChannel) => void,
): (err: Error | undefined, channel: ClientChannel) => void {
  return (err, channel) => {
    if ((err === undefined || err === null) && channel !== undefined) recordExitStatus(channel);
    done(err, channel);
  };
}

export interface OpenedChannel<T> {
  channel: T;
}

/**
 * One authenticated ssh2 Client and the session channels open on it. Every
 * session goes through the gate so we never exceed the server's MaxSessions.
 */
export class PooledConnection {
  readonly gate: ChannelGate;
  readonly ctx: SshErrorContext;
  private users = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private closeError: unknown;
  private readonly closeListeners = new Set<(err: unknown) => void>();
  private readonly closedPromise: Promise<void>;

  constructor(
    readonly endpoint: SshEndpoint,
    readonly client: Client,
    private readonly options: PooledConnectionOptions,
  ) {
    this.ctx = errorContext(endpoint);
    this.gate = new ChannelGate(options.maxSessions);
    let lastError: unknown;
    // ssh2 emits 'error' for a dropped socket or a keepalive timeout; without a listener Node would crash.
    client.on('error', (err: unknown) => {
      lastError = err;
    });
    this.closedPromise = new Promise((resolve) => {
      client.once('close', () => {
        this.closed = true;
        clearTimeout(this.idleTimer);
        this.closeError = lastError !== undefined ? describeSshError(lastError, this.ctx) : connectionLostError(this.ctx);
        this.gate.close(this.closeError);
        for (const listener of this.closeListeners) listener(this.closeError);
        resolve();
      });
    });
    this.armIdleTimer();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Runs `listener` when the connection goes away, with the reason. */
  onClose(listener: (err: unknown) => void): () => void {
    if (this.closed) {
      listener(this.closeError);
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  exec(command: string, signal?: AbortSignal): Promise<ClientChannel> {
    return this.openSession((done) => this.client.exec(command, withExitStatus(done)), signal);
  }

  shell(window: PseudoTtyOptions, signal?: AbortSignal): Promise<ClientChannel> {
    return this.openSession((done) => this.client.shell(window, withExitStatus(done)), signal);
  }

  sftp(signal?: AbortSignal): Promise<SFTPWrapper> {
    return this.openSession((done) => this.client.sftp(done), signal);
  }

  /**
   * Runs a short command without waiting for a session slot, for killing a
   * command that holds one (the server may still refuse it when full).
   */
  runOutsideGate(command: string): void {
    if (this.closed) return;
    try {
      this.client.exec(command, (err, channel) => {
        if (err !== undefined && err !== null) return;
        channel.resume();
        channel.stderr.resume();
        channel.end();
      });
    } catch {
      // Not connected any more: nothing left to kill through this connection.
    }
  }

  /** A TCP stream to host:port opened by the server (for jump hosts); not a session, so not gated. */
  forwardOut(host: string, port: number): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      try {
        this.client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
          if (err !== undefined && err !== null) reject(err);
          else {
            const release = this.use();
            stream.once('close', release);
            resolve(stream);
          }
        });
      } catch (err) {
        reject(err);
      }
    });
  }

  /** Keeps the connection from idling out while something depends on it (a tunnelled connection). */
  use(): () => void {
    this.users++;
    clearTimeout(this.idleTimer);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.users === 0) this.armIdleTimer();
    };
  }

  /** Ends the connection and waits until the socket is closed (at most `waitMs`). */
  async end(waitMs = 5000): Promise<void> {
    if (!this.closed) this.client.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.closedPromise,
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.client.destroy();
          resolve();
        }, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private async openSession<T extends ClientChannel | SFTPWrapper>(
    start: (done: (err: Error | undefined, channel: T) => void) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    const release = this.use();
    try {
      const { value, release: releaseSlot } = await openThroughGate(
        this.gate,
        () =>
          new Promise<T>((resolve, reject) => {
            if (this.closed) {
              reject(this.closeError);
              return;
            }
            try {
              start((err, channel) => {
                if (err === undefined || err === null) resolve(channel);
                // ssh2 fails a request still pending when its connection closes with a bare "Unable to exec" (or
                // shell, sftp); the connection's loss is the cause, and closing has been recorded by then.
                else reject(this.closed ? this.closeError : err);
              });
            } catch (err) {
              reject(err);
            }
          }),
        signal,
      );
      value.once('close', () => {
        // sshd frees the session a moment after the close crosses the wire; reusing the slot at once
        // gets "open failed" and would teach the gate a limit lower than the real one.
        setTimeout(releaseSlot, 10);
        release();
      });
      return value;
    } catch (err) {
      release();
      throw err;
    }
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.closed || this.options.idleTimeoutMs <= 0 || this.users > 0) return;
    this.idleTimer = setTimeout(() => void this.end(), this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }
}
