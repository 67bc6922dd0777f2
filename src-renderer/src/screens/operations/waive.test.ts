import { describe, expect, it } from 'vitest';
import type { OperationKind } from '../../../../src-shared/contract/operations';
import { toggleWaiver, waiversFor, waivesPreflight } from './waive';

describe('waivers', () => {
  it('apply to the operations that run the preflight on a host', () => {
    const withPreflight: OperationKind[] = ['etcd-membership', 'upgrade', 'remove-host'];
    const without: OperationKind[] = ['backup', 'restore', 'reset', 'renew-certificates'];
    expect(withPreflight.filter(waivesPreflight)).toEqual(withPreflight);
    expect(without.filter(waivesPreflight)).toEqual([]);
  });

  it('go with the plan only of such an operation', () => {
    expect(waiversFor('upgrade', ['clock'])).toEqual(['clock']);
    expect(waiversFor('reset', ['clock'])).toEqual([]);
  });

  it('toggle one check at a time', () => {
    expect(toggleWaiver([], 'ports')).toEqual(['ports']);
    expect(toggleWaiver(['clock', 'ports'], 'clock')).toEqual(['ports']);
  });
});
