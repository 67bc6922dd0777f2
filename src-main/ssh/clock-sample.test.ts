import { describe, expect, it } from 'vitest';
import { clockOffset } from './clock-sample';

describe('clockOffset', () => {
  it('takes the sample with the smallest round trip', () => {
    const offset = clockOffset([
      { sentAtMs: 0, answeredAtMs: 600, remoteMs: 550 },
      { sentAtMs: 1000, answeredAtMs: 1010, remoteMs: 1105 },
      { sentAtMs: 2000, answeredAtMs: 2300, remoteMs: 2000 },
    ]);
    expect(offset).toEqual({ offsetMs: 100, errorMs: 5 });
  });

  it('ignores unreadable samples and says nothing without any', () => {
    expect(clockOffset([{ sentAtMs: 0, answeredAtMs: 4, remoteMs: Number.NaN }])).toBeUndefined();
    expect(clockOffset([])).toBeUndefined();
  });
});
