import { describe, expect, it } from 'vitest';
import { parseKeep } from './backup-schedule-form';

describe('parseKeep', () => {
  it('takes whole numbers from 1 to 1000 and nothing else', () => {
    expect(parseKeep('7')).toBe(7);
    expect(parseKeep(' 1000 ')).toBe(1000);
    for (const bad of ['0', '1001', '2.5', '-1', '', 'seven']) expect(parseKeep(bad), bad).toBeUndefined();
  });
});
