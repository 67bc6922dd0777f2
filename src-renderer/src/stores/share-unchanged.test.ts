import { describe, expect, it } from 'vitest';
import { ClusterSchema, type Cluster } from '../../../src-shared/model/cluster';
import { shareUnchanged } from './share-unchanged';

const cluster = (roles: string[][]): Cluster =>
  ClusterSchema.parse({ name: 'lab', hosts: roles.map((r, i) => ({ id: `h${i}`, name: `n${i}`, address: `10.0.0.${i + 1}`, roles: r })) });

describe('shareUnchanged', () => {
  it('keeps the objects of unchanged hosts and settings, and takes the changed ones', () => {
    const before = cluster([['etcd'], [], ['node']]);
    const after = shareUnchanged(before, cluster([['etcd'], ['master'], ['node']]));
    expect(after.hosts[0]).toBe(before.hosts[0]);
    expect(after.hosts[1]).not.toBe(before.hosts[1]);
    expect(after.hosts[1]!.roles).toEqual(['master']);
    expect(after.hosts[2]).toBe(before.hosts[2]);
    expect(after.settings).toBe(before.settings);
  });

  it('keeps even the host list when nothing changed, and shares nothing across clusters', () => {
    const before = cluster([['etcd']]);
    expect(shareUnchanged(before, cluster([['etcd']])).hosts).toBe(before.hosts);
    const other = { ...cluster([['etcd']]), name: 'other' };
    expect(shareUnchanged(before, other).hosts[0]).not.toBe(before.hosts[0]);
  });
});
