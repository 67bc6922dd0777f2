import { describe, expect, it } from 'vitest';
import { formatBytes, formatElapsed, rowElapsed } from './format';

describe('deploy formatting', () => {
  it('formats elapsed time', () => {
    expect(formatElapsed(65_000)).toBe('1:05');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(rowElapsed('2026-01-01T00:00:00Z', '2026-01-01T00:00:09Z', 0)).toBe('0:09');
    expect(rowElapsed(undefined, undefined, 0)).toBe('');
  });

  it('formats bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MiB');
  });
});
