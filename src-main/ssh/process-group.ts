/**
 * sshd runs each command in a shell it makes a session leader, so that
 * shell's PID is the process group of everything the command starts. The
 * command reports it first thing on stderr, so a cancelled command can be
 * killed as a group even where sshd refuses "signal" requests (it does for
 * root logins: "session signalling requires privilege separation").
 */
const MARKER = '\x1eks-pgid=';

export function reportingProcessGroup(command: string): string {
  return `printf '\\036ks-pgid=%s\\n' "$$" >&2; ${command}`;
}

export function killProcessGroupCommand(pgid: number, graceSeconds: number): string {
  const grace = Math.max(0.1, Math.round(graceSeconds * 10) / 10);
  // TERM first so sudo can pass it on to the command it runs; KILL what is left after the grace period.
  return `kill -TERM -- -${pgid} 2>/dev/null; sleep ${grace}; kill -KILL -- -${pgid} 2>/dev/null; true`;
}

/** Takes the marker line off the front of stderr and passes everything else through. */
export class ProcessGroupReader {
  private head: Buffer | undefined = Buffer.alloc(0);
  pgid: number | undefined;

  constructor(private readonly forward: (chunk: Buffer) => void) {}

  push(chunk: Buffer): void {
    if (this.head === undefined) {
      this.forward(chunk);
      return;
    }
    const head = Buffer.concat([this.head, chunk]);
    const prefix = Buffer.from(MARKER, 'latin1');
    const comparable = Math.min(head.length, prefix.length);
    if (!head.subarray(0, comparable).equals(prefix.subarray(0, comparable))) {
      this.head = undefined;
      this.forward(head);
      return;
    }
    const newline = head.indexOf(0x0a);
    if (newline === -1) {
      this.head = head;
      return;
    }
    const value = Number(head.toString('latin1', prefix.length, newline));
    if (Number.isInteger(value) && value > 1) this.pgid = value;
    this.head = undefined;
    if (newline + 1 < head.length) this.forward(head.subarray(newline + 1));
  }

  /** Flushes a partial marker that never completed (it was not ours after all). */
  end(): void {
    if (this.head !== undefined && this.head.length > 0) this.forward(this.head);
    this.head = undefined;
  }
}
