import { generateKeyPairPem, type KeyPairGenerator, type KeyPairPem, type KeyType } from './keys';

export interface KeyPoolOptions {
  generate?: KeyPairGenerator;
  /** The most keys held at once, whatever a cluster asks for. */
  maxKeys?: number;
  /**
   * Keys made at the same time. One leaves the other cores to the app, and libuv's other threads
   * to its file I/O; a generation that finds the pool short makes the rest itself.
   */
  concurrency?: number;
  onError?: (err: unknown) => void;
}

export const DEFAULT_MAX_POOLED_KEYS = 64;

/**
 * Key pairs made in the background before they are asked for, so that generating a PKI does not
 * wait for RSA primes. Keys are held in memory only, for one key type at a time, and each is
 * handed out once; nothing is written anywhere until a certificate uses the key.
 */
export class KeyPool {
  private readonly generate: KeyPairGenerator;
  private readonly maxKeys: number;
  private readonly concurrency: number;
  private readonly onError: (err: unknown) => void;
  private keyType: KeyType | undefined;
  private target = 0;
  private ready: KeyPairPem[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(options: KeyPoolOptions = {}) {
    this.generate = options.generate ?? generateKeyPairPem;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_POOLED_KEYS;
    this.concurrency = options.concurrency ?? 1;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Keys ready to hand out. */
  get size(): number {
    return this.ready.length;
  }

  /** Starts making keys of `keyType` until `count` (at most maxKeys) are ready. Keys of another type are dropped. */
  fill(keyType: KeyType, count: number): void {
    if (this.closed) return;
    if (keyType !== this.keyType) {
      this.keyType = keyType;
      this.ready = [];
    }
    this.target = Math.max(0, Math.min(count, this.maxKeys));
    this.ready.splice(this.target);
    this.startGenerations();
  }

  /** A ready key of `keyType`, removed from the pool; undefined when there is none. */
  take(keyType: KeyType): KeyPairPem | undefined {
    return keyType === this.keyType ? this.ready.shift() : undefined;
  }

  /** A generator for generateClusterPki: a pooled key when there is one, else a fresh one. */
  readonly generator: KeyPairGenerator = (keyType) => {
    const pooled = this.take(keyType);
    return pooled !== undefined ? Promise.resolve(pooled) : this.generate(keyType);
  };

  /** Resolves once no key is being made: the pool is full, or has stopped. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Stops making keys and forgets the ready ones; resolves once the keys still being made are done (and dropped). */
  async close(): Promise<void> {
    this.closed = true;
    this.target = 0;
    this.ready = [];
    await this.idle();
  }

  private startGenerations(): void {
    const keyType = this.keyType;
    while (keyType !== undefined && this.inFlight.size < this.concurrency && this.ready.length + this.inFlight.size < this.target) {
      const job: Promise<void> = this.generate(keyType).then(
        (key) => {
          this.inFlight.delete(job);
          if (!this.closed && keyType === this.keyType && this.ready.length < this.target) this.ready.push(key);
          this.startGenerations();
        },
        (err: unknown) => {
          this.inFlight.delete(job);
          // Stop rather than retry in a loop; the next fill() tries again, and generation works without the pool.
          this.target = 0;
          this.onError(err);
        },
      );
      this.inFlight.add(job);
    }
  }
}
