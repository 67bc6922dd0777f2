import { describe, expect, it } from 'vitest';
import { routeParam, screenFromHash } from './routes';

describe('screenFromHash', () => {
  it('maps hashes to screens and falls back to the home screen', () => {
    expect(screenFromHash('#/topology')).toBe('topology');
    expect(screenFromHash('#/certificates/ca.crt')).toBe('certificates');
    expect(screenFromHash('')).toBe('home');
    expect(screenFromHash('#/nope')).toBe('home');
  });
});

describe('routeParam', () => {
  it('reads what follows the screen', () => {
    expect(routeParam('#/terminals/id-node4')).toBe('id-node4');
    expect(routeParam('#/terminals/a%2Fb')).toBe('a/b');
    expect(routeParam('#/terminals')).toBeUndefined();
  });
});
