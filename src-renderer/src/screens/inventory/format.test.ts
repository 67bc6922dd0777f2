import { describe, expect, it } from 'vitest';
import { formatBytes, formatOffset } from './format';

describe('format', () => {
  it('prints sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(8 * 1024 ** 3)).toBe('8.0 GiB');
    expect(formatBytes(1.5 * 1024 ** 2)).toBe('1.5 MiB');
  });
  it('prints clock offsets with their sign', () => {
    expect(formatOffset(12.4)).toBe('+12 ms');
    expect(formatOffset(-1500)).toBe('−1.5 s');
  });
});
