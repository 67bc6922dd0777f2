import { describe, expect, it } from 'vitest';
import { hrefForTab, tabFromHash } from './topology-tabs';

describe('topology tabs', () => {
  it('reads the tab from the second part of the route, defaulting to the roles', () => {
    expect(tabFromHash('#/topology/settings')).toBe('settings');
    expect(tabFromHash('#/topology/graph')).toBe('graph');
    expect(tabFromHash('#/topology')).toBe('roles');
    expect(tabFromHash('#/topology/nope')).toBe('roles');
    expect(hrefForTab('roles')).toBe('#/topology');
    expect(hrefForTab('settings')).toBe('#/topology/settings');
  });
});
