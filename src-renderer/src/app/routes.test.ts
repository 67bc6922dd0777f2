import { describe, expect, it } from 'vitest';
import { screenFromHash } from './routes';

describe('screenFromHash', () => {
  it('maps hashes to screens and falls back to the inventory', () => {
    expect(screenFromHash('#/topology')).toBe('topology');
    expect(screenFromHash('#/certificates/ca.crt')).toBe('certificates');
    expect(screenFromHash('')).toBe('inventory');
    expect(screenFromHash('#/nope')).toBe('inventory');
  });
});
