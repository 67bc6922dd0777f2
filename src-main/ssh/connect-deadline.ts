/**
 * A connect timeout that stops counting while a person is being asked
 * something (a host key, a passphrase): reading a fingerprint is not the
 * network being slow.
 */
export class ConnectDeadline {
  private timer: NodeJS.Timeout | undefined;
  private remaining: number;
  private startedAt = 0;
  private pauses = 0;
  private done = false;

  constructor(
    timeoutMs: number,
    private readonly onExpire: () => void,
  ) {
    this.remaining = timeoutMs;
    this.arm();
  }

  async whileAskingUser<T>(ask: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await ask();
    } finally {
      this.resume();
    }
  }

  cancel(): void {
    this.done = true;
    clearTimeout(this.timer);
  }

  private pause(): void {
    if (this.pauses++ === 0 && !this.done) {
      clearTimeout(this.timer);
      this.remaining -= Date.now() - this.startedAt;
    }
  }

  private resume(): void {
    if (--this.pauses === 0 && !this.done) this.arm();
  }

  private arm(): void {
    this.startedAt = Date.now();
    this.timer = setTimeout(
      () => {
        this.done = true;
        this.onExpire();
      },
      Math.max(0, this.remaining),
    );
  }
}
