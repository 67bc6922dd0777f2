/**
 * Counts the session channels open on one connection and queues openers
 * beyond the server's MaxSessions. The limit starts at a guess (OpenSSH's
 * default, 10) and shrinks when the server refuses a session.
 */
export class ChannelGate {
  private open = 0;
  private readonly waiters: Array<{ wake: () => void; fail: (err: unknown) => void }> = [];
  private closedWith: unknown;

  constructor(private limit: number) {}

  get active(): number {
    return this.open;
  }

  get capacity(): number {
    return this.limit;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (this.open < this.limit && this.waiters.length === 0) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const waiter = {
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take());
        },
        fail: (err: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** The server refused a session while `othersOpen` of ours were open or being opened, so that is its limit. */
  learnLimit(othersOpen: number): void {
    this.limit = Math.max(1, Math.min(this.limit, othersOpen));
  }

  /** Fails every queued opener; later acquires fail at once. */
  close(reason: unknown): void {
    this.closedWith = reason;
    for (const w of this.waiters.splice(0)) w.fail(reason);
  }

  private take(): () => void {
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      this.wakeNext();
    };
  }

  private wakeNext(): void {
    while (this.open < this.limit) {
      const next = this.waiters.shift();
      if (next === undefined) return;
      next.wake();
    }
  }
}

/**
 * OpenSSH answers a session beyond MaxSessions with "open failed" and reason
 * 2 (connect failed; "no more sessions" in its log). Other servers use 1
 * (administratively prohibited) or 4 (resource shortage).
 */
export function isSessionLimitError(err: unknown): boolean {
  if (!(err instanceof Error) || !err.message.includes('Channel open failure')) return false;
  const reason = (err as { reason?: unknown }).reason;
  return reason === 1 || reason === 2 || reason === 4;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const LONE_REFUSAL_RETRIES = 5;

/**
 * Opens a session channel through the gate. When the server says it has no
 * room, wait for one of our other channels to close and try again; if none of
 * ours is open, the server may still be tearing down one that just closed, so
 * retry a few times after a pause before believing the refusal.
 */
export async function openThroughGate<T>(
  gate: ChannelGate,
  open: () => Promise<T>,
  signal?: AbortSignal,
): Promise<{ value: T; release: () => void }> {
  let loneRefusals = 0;
  for (;;) {
    const release = await gate.acquire(signal);
    let value: T;
    try {
      value = await open();
    } catch (err) {
      // Count requests still in flight too: in a burst the refusals arrive before the acceptances.
      const others = gate.active - 1;
      release();
      if (!isSessionLimitError(err)) throw err;
      if (others > 0) {
        gate.learnLimit(others);
        continue;
      }
      if (++loneRefusals > LONE_REFUSAL_RETRIES) throw err;
      await sleep(25 * 2 ** loneRefusals, signal);
      continue;
    }
    return { value, release };
  }
}
