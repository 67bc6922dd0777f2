import { describe, expect, it } from 'vitest';
import type { HostRun } from '../../../../src-shared/model/deploy-run';
import { failedAfterHosts, hostToShow, refreshAfterFinish } from './after-finish';

const host = (hostId: string, state: HostRun['state'], cause?: HostRun['cause']): HostRun => ({
  hostId,
  hostName: hostId,
  state,
  done: 1,
  total: 1,
  ...(cause ? { cause } : {}),
});
const cause = { stepId: 'download', stepTitle: 'Copy the snapshot to this computer', name: 'ChecksumMismatch', message: 'bad copy' };

describe('refreshAfterFinish', () => {
  it('reads the backups again after a backup, and nothing else', () => {
    expect(refreshAfterFinish('backup')).toEqual({ backups: true, inventory: false, health: false });
  });

  it('reads the cluster again after a host removal or an upgrade', () => {
    expect(refreshAfterFinish('remove-host')).toEqual({ backups: false, inventory: true, health: true });
    expect(refreshAfterFinish('upgrade')).toEqual({ backups: false, inventory: true, health: true });
  });

  it('reads only the health again after operations that change the hosts alone', () => {
    for (const op of ['restore', 'etcd-membership', 'reset', 'renew-certificates'] as const) {
      expect(refreshAfterFinish(op), op).toEqual({ backups: false, inventory: false, health: true });
    }
  });

  it('reads nothing again for a deploy', () => {
    expect(refreshAfterFinish('deploy')).toEqual({ backups: false, inventory: false, health: false });
    expect(refreshAfterFinish(undefined)).toEqual({ backups: false, inventory: false, health: false });
  });
});

describe('a failed finish', () => {
  it('opens the host whose cause says why', () => {
    expect(hostToShow({ state: 'failed', hosts: [host('a', 'succeeded'), host('b', 'failed', cause)] })).toBe('b');
    expect(hostToShow({ state: 'succeeded', hosts: [host('a', 'succeeded')] })).toBeUndefined();
  });

  it('is told apart from a host that failed', () => {
    expect(failedAfterHosts({ state: 'failed', hosts: [host('a', 'succeeded'), host('b', 'succeeded')] })).toBe(true);
    expect(failedAfterHosts({ state: 'failed', hosts: [host('a', 'succeeded'), host('b', 'failed', cause)] })).toBe(false);
    expect(failedAfterHosts({ state: 'failed', hosts: [host('a', 'blocked')] })).toBe(false);
    expect(failedAfterHosts({ state: 'succeeded', hosts: [host('a', 'succeeded')] })).toBe(false);
  });
});
