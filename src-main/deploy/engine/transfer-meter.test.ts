import { describe, expect, it } from 'vitest';
import { TransferMeter, type TransferSample } from './transfer-meter';

/** A meter on a clock the test moves. */
function meter(options: { intervalMs?: number; windowMs?: number } = {}) {
  let now = 0;
  const published: TransferSample[] = [];
  const m = new TransferMeter((s) => published.push(s), { now: () => now, ...options });
  return {
    published,
    at: (ms: number, done: number, total: number) => {
      now = ms;
      m.update(done, total);
    },
  };
}

describe('TransferMeter', () => {
  it('measures speed and time left from the bytes over the elapsed time', () => {
    const m = meter();
    m.at(0, 0, 10_000_000);
    m.at(1000, 2_000_000, 10_000_000);
    expect(m.published.at(-1)).toEqual({ doneBytes: 2_000_000, totalBytes: 10_000_000, bytesPerSecond: 2_000_000, secondsLeft: 4 });
  });

  it('has no time left to show before the first measure', () => {
    const m = meter();
    m.at(0, 0, 1000);
    expect(m.published).toEqual([{ doneBytes: 0, totalBytes: 1000, bytesPerSecond: 0 }]);
  });

  it('counts the speed from where a resumed upload started, not from zero', () => {
    const m = meter();
    m.at(0, 6_000_000, 10_000_000);
    m.at(2000, 8_000_000, 10_000_000);
    expect(m.published.at(-1)).toMatchObject({ bytesPerSecond: 1_000_000, secondsLeft: 2 });
  });

  it('follows a link that slows down: only the last window counts', () => {
    const m = meter({ windowMs: 2000, intervalMs: 0 });
    for (let s = 0; s <= 10; s++) m.at(s * 1000, s * 10_000_000, 200_000_000); // 10 MB/s for 10 s
    for (let s = 11; s <= 14; s++) m.at(s * 1000, 100_000_000 + (s - 10) * 1_000_000, 200_000_000); // then 1 MB/s
    expect(m.published.at(-1)).toMatchObject({ doneBytes: 104_000_000, bytesPerSecond: 1_000_000, secondsLeft: 96 });
  });

  it('publishes at most once per interval, but always the first and the last sample', () => {
    const m = meter({ intervalMs: 250 });
    const total = 1000 * 100;
    // One chunk every 10 ms for 1 s: 100 updates.
    for (let i = 1; i <= 100; i++) m.at(i * 10, i * 1000, total);
    expect(m.published.map((s) => s.doneBytes)).toEqual([1000, 26_000, 51_000, 76_000, 100_000]);
    expect(m.published.at(-1)).toMatchObject({ doneBytes: total, secondsLeft: 0 });
  });
});
