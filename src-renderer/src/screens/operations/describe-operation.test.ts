import { describe, expect, it } from 'vitest';
import { describeOperation, hostActions } from './describe-operation';

const hosts = [
  { id: 'h1', name: 'm1', roles: ['etcd', 'master'] as const },
  { id: 'h2', name: 'n1', roles: ['node'] as const },
  { id: 'h3', name: 'spare', roles: [] as const },
].map((h) => ({ ...h, roles: [...h.roles] }));

describe('describeOperation', () => {
  it('names hosts by their names', () => {
    expect(describeOperation({ kind: 'remove-host', hostId: 'h2' }, hosts)).toEqual({
      key: 'ops.title.removeHost',
      params: { host: 'n1' },
    });
    expect(describeOperation({ kind: 'reset', hostIds: ['h3'] }, hosts)).toEqual({ key: 'ops.title.reset', params: { hosts: 'spare' } });
    expect(describeOperation({ kind: 'reset', hostIds: ['gone'] }, hosts).params).toEqual({ hosts: 'gone' });
  });

  it('calls a reset of every host holding roles a reset of the whole cluster', () => {
    expect(describeOperation({ kind: 'reset', hostIds: ['h1', 'h2'] }, hosts).key).toBe('ops.title.resetCluster');
    expect(describeOperation({ kind: 'reset', hostIds: ['h1', 'h3'] }, hosts).key).toBe('ops.title.reset');
  });

  it('names the backup a restore uses', () => {
    expect(describeOperation({ kind: 'restore', backupId: 'lab-20260101-000000' }, hosts)).toEqual({
      key: 'ops.title.restore',
      params: { backup: 'lab-20260101-000000' },
    });
  });

  it('names the version an upgrade goes to', () => {
    expect(describeOperation({ kind: 'upgrade', to: '1.35', batch: 2 }, hosts)).toEqual({
      key: 'ops.title.upgrade',
      params: { version: '1.35' },
    });
    expect(describeOperation({ kind: 'renew-certificates' }, hosts)).toEqual({ key: 'ops.title.renew', params: {} });
  });

  it('says how often scheduled backups run and how many are kept, or that they stop', () => {
    expect(describeOperation({ kind: 'backup-schedule', schedule: 'daily', keep: 7 }, hosts)).toEqual({
      key: 'ops.title.backupSchedule.daily',
      params: { keep: '7' },
    });
    expect(describeOperation({ kind: 'backup-schedule', schedule: 'off', keep: 7 }, hosts).key).toBe('ops.title.backupScheduleOff');
  });
});

describe('hostActions', () => {
  it('offers removal to a host with roles and a reset to every host', () => {
    expect(hostActions({ roles: ['node'] })).toEqual(['remove-host', 'reset']);
    expect(hostActions({ roles: [] })).toEqual(['reset']);
  });
});
