import { randomUUID } from 'node:crypto';
import { KubesmithError } from '../../src-shared/errors';
import type { EventHub } from '../events/event-hub';

/** A shell on a host, as the SSH layer gives it. Output pauses while too many bytes are unacknowledged. */
export interface ShellSession {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  ack(bytes: number): void;
  onData(listener: (chunk: Buffer) => void): void;
  onClose(listener: (reason: string) => void): void;
  close(): void;
}

export type ShellOpener = (
  cluster: string,
  hostId: string,
  size: { cols: number; rows: number },
) => Promise<{ shell: ShellSession; title: string }>;

/** How much output one event carries at most; larger bursts are split so no frame stalls the renderer. */
const MAX_EVENT_BYTES = 64 * 1024;

interface OpenSession {
  shell: ShellSession;
  pending: Buffer[];
  pendingBytes: number;
  flushScheduled: boolean;
}

/**
 * Terminals the renderer has open, by session id. Output is batched per tick into
 * terminal.data events (base64, so the same event works over IPC and WebSocket).
 */
export class TerminalSessions {
  private readonly sessions = new Map<string, OpenSession>();

  constructor(
    private readonly events: EventHub,
    private readonly openShell: ShellOpener,
  ) {}

  async open(cluster: string, hostId: string, cols: number, rows: number): Promise<{ sessionId: string; hostId: string; title: string }> {
    const { shell, title } = await this.openShell(cluster, hostId, { cols, rows });
    const sessionId = randomUUID();
    const session: OpenSession = { shell, pending: [], pendingBytes: 0, flushScheduled: false };
    this.sessions.set(sessionId, session);
    shell.onData((chunk) => {
      session.pending.push(chunk);
      session.pendingBytes += chunk.length;
      if (session.pendingBytes >= MAX_EVENT_BYTES) this.flush(sessionId, session);
      else if (!session.flushScheduled) {
        session.flushScheduled = true;
        setImmediate(() => this.flush(sessionId, session));
      }
    });
    shell.onClose((reason) => {
      this.flush(sessionId, session);
      this.sessions.delete(sessionId);
      this.events.emit('terminal.exit', { sessionId, reason });
    });
    return { sessionId, hostId, title };
  }

  input(sessionId: string, data: string): void {
    this.get(sessionId).shell.write(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.get(sessionId).shell.resize(cols, rows);
  }

  ack(sessionId: string, bytes: number): void {
    // An ack for a session that just ended is harmless.
    this.sessions.get(sessionId)?.shell.ack(bytes);
  }

  close(sessionId: string): void {
    this.sessions.get(sessionId)?.shell.close();
  }

  closeAll(): void {
    for (const { shell } of this.sessions.values()) shell.close();
  }

  get size(): number {
    return this.sessions.size;
  }

  private get(sessionId: string): OpenSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new KubesmithError('TerminalClosed', 'This terminal session has ended.', 'Reconnect to open a new session.');
    return session;
  }

  private flush(sessionId: string, session: OpenSession): void {
    session.flushScheduled = false;
    if (session.pendingBytes === 0) return;
    const all = Buffer.concat(session.pending);
    session.pending = [];
    session.pendingBytes = 0;
    for (let offset = 0; offset < all.length; offset += MAX_EVENT_BYTES) {
      this.events.emit('terminal.data', { sessionId, data: all.subarray(offset, offset + MAX_EVENT_BYTES).toString('base64') });
    }
  }
}
