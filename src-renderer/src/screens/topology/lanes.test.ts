import { describe, expect, it } from 'vitest';
import { rolesAfterDrop } from './lanes';

describe('rolesAfterDrop', () => {
  it('adds a role from the pool, removes it back to the pool, and moves it between lanes', () => {
    expect(rolesAfterDrop([], 'pool', 'etcd')).toEqual(['etcd']);
    expect(rolesAfterDrop(['etcd'], 'pool', 'master')).toEqual(['etcd', 'master']);
    expect(rolesAfterDrop(['etcd', 'master'], 'etcd', 'pool')).toEqual(['master']);
    expect(rolesAfterDrop(['etcd', 'node'], 'etcd', 'master')).toEqual(['node', 'master']);
  });
  it('says when nothing changes', () => {
    expect(rolesAfterDrop(['etcd'], 'etcd', 'etcd')).toBeUndefined();
    expect(rolesAfterDrop(['etcd'], 'pool', 'etcd')).toBeUndefined();
    expect(rolesAfterDrop([], 'pool', 'pool')).toBeUndefined();
  });
  it('moving onto a lane the host is already in just leaves the old one', () => {
    expect(rolesAfterDrop(['etcd', 'master'], 'etcd', 'master')).toEqual(['master']);
  });
});
