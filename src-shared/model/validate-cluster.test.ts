import { describe, expect, it } from 'vitest';
import { ClusterSchema } from './cluster';
import { validateCluster } from './validate-cluster';

const host = (over: Record<string, unknown> = {}) => ({ id: 'h1', name: 'node1', address: '192.0.2.10', ...over });
const paths = (hosts: unknown[], settings: Record<string, unknown> = {}) =>
  validateCluster(ClusterSchema.parse({ name: 'c', hosts, settings })).map((p) => p.path);

describe('validateCluster, the one gate into the model', () => {
  it('accepts an ordinary cluster', () => {
    expect(
      paths([host(), host({ id: 'h2', name: 'node2', address: 'fd00::2', user: 'deploy_er', jump: { kind: 'host', hostId: 'h1' } })]),
    ).toEqual([]);
  });

  it.each([
    ['address', { address: '192.0.2.12;touch /tmp/x' }],
    ['address', { address: '$(reboot)' }],
    ['name', { name: 'node 1' }],
    ['name', { name: 'node_1' }],
    ['user', { user: 'root;id' }],
    ['user', { user: '-oProxyCommand=x' }],
    ['id', { id: 'constructor' }],
    ['id', { id: '__proto__' }],
    ['id', { id: '../etc' }],
    ['auth.keyPath', { auth: { kind: 'key', keyPath: '/k\nx' } }],
    ['jump', { jump: { kind: 'spec', spec: 'a;b@bastion' } }],
    ['jump', { jump: { kind: 'host', hostId: 'nobody' } }],
    ['jump', { jump: { kind: 'host', hostId: 'h1' } }],
    ['probe.arch', { probe: { at: 'x', ok: true, arch: 'x86_64;id' } }],
  ])('refuses a bad %s (%j)', (field, over) => {
    expect(paths([host(over)])).toContain(`hosts[0].${field}`);
  });

  it('refuses duplicate ids, addresses and names, pointing at the second', () => {
    expect(paths([host(), host({ name: 'NODE1', address: '192.0.2.10' })])).toEqual(
      expect.arrayContaining(['hosts[1].id', 'hosts[1].address', 'hosts[1].name']),
    );
  });

  it('tells hosts behind one address apart by their SSH port', () => {
    expect(paths([host(), host({ id: 'h2', name: 'node2', port: 2222 })])).toEqual([]);
  });

  it('carries the settings rules under settings.<field>', () => {
    expect(paths([], { clusterDomain: 'cluster.local;$(reboot)', extraSans: ['a b'] })).toEqual([
      'settings.clusterDomain',
      'settings.extraSans',
    ]);
  });
});
