import type { HostTransfer } from '../../../src-shared/model/deploy-run';

export type TransferSample = Omit<HostTransfer, 'path'>;

export interface TransferMeterOptions {
  /** Milliseconds, monotonic (performance.now by default; tests hand in their own clock). */
  now?: () => number;
  /** At most one sample per this many milliseconds reaches `publish` (the first and the last always do). */
  intervalMs?: number;
  /** Speed is measured over the bytes of about this long (an average that still follows a link that slows down). */
  windowMs?: number;
}

/**
 * Speed and time left of one transfer, from its progress callbacks, throttled: an upload reports every chunk it
 * sends (hundreds a second on a LAN), the host's row needs a few updates a second.
 */
export class TransferMeter {
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly samples: { at: number; bytes: number }[] = [];
  private lastPublished: number | undefined;

  constructor(
    private readonly publish: (sample: TransferSample) => void,
    options: TransferMeterOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.intervalMs = options.intervalMs ?? 250;
    this.windowMs = options.windowMs ?? 5000;
  }

  update(doneBytes: number, totalBytes: number): void {
    const at = this.now();
    this.samples.push({ at, bytes: doneBytes });
    // Keep one sample at or before the window's start, so the window always spans windowMs once it can.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.windowMs) this.samples.shift();
    const finished = doneBytes >= totalBytes;
    if (!finished && this.lastPublished !== undefined && at - this.lastPublished < this.intervalMs) return;
    this.lastPublished = at;
    this.publish(this.sample(at, doneBytes, totalBytes));
  }

  private sample(at: number, doneBytes: number, totalBytes: number): TransferSample {
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    const bytesPerSecond = seconds > 0 ? Math.max(0, (doneBytes - first.bytes) / seconds) : 0;
    const left = Math.max(0, totalBytes - doneBytes);
    return {
      doneBytes,
      totalBytes,
      bytesPerSecond: Math.round(bytesPerSecond),
      ...(bytesPerSecond > 0 ? { secondsLeft: Math.ceil(left / bytesPerSecond) } : left === 0 ? { secondsLeft: 0 } : {}),
    };
  }
}
