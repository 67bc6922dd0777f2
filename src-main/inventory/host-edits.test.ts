import { describe, expect, it } from 'vitest';
import { ClusterSchema, type Cluster, type Host } from '../../src-shared/model/cluster';
import { removeHost, setRoles, upsertHost, type HostInputValue } from './host-edits';
import { addPastedHosts } from './paste';

const base = (): Cluster => ClusterSchema.parse({ name: 'lab' });
const input = (over: Partial<HostInputValue> = {}): HostInputValue => ({
  name: 'etcd-1',
  address: '192.168.50.20',
  port: 22,
  user: 'root',
  auth: { kind: 'agent' },
  sudo: 'none',
  roles: [],
  ...over,
});

describe('upsertHost', () => {
  it('adds a host with a fresh id, then edits it in place', () => {
    const added = upsertHost(base(), input({ roles: ['node', 'etcd', 'node'] }));
    expect(added.host.id).toMatch(/^h-[0-9a-f]{8}$/);
    expect(added.host.roles).toEqual(['etcd', 'node']);
    const edited = upsertHost(added.cluster, input({ id: added.host.id, name: 'etcd-one', port: 2222 }));
    expect(edited.cluster.hosts).toEqual([expect.objectContaining({ id: added.host.id, name: 'etcd-one', port: 2222 })]);
  });

  it('keeps the probe result unless the way to reach the host changed', () => {
    const { cluster, host } = upsertHost(base(), input());
    const probed: Cluster = { ...cluster, hosts: [{ ...host, probe: { at: 'now', ok: true, cpus: 4 } }] };
    expect(upsertHost(probed, input({ id: host.id, sudo: 'passwordless' })).host.probe).toEqual({ at: 'now', ok: true, cpus: 4 });
    expect(upsertHost(probed, input({ id: host.id, address: '192.168.50.99' })).host.probe).toBeUndefined();
  });

  it('refuses a bad address, a duplicate address or name, and an unknown id, with the field named', () => {
    const { cluster } = upsertHost(base(), input());
    expect(() => upsertHost(cluster, input({ name: 'x', address: '192.168.50.300' }))).toThrow(
      expect.objectContaining({ name: 'InvalidAddress', details: { field: 'address' } }),
    );
    expect(() => upsertHost(cluster, input({ name: 'x' }))).toThrow(
      expect.objectContaining({ name: 'DuplicateHost', details: { field: 'address' } }),
    );
    expect(() => upsertHost(cluster, input({ name: 'ETCD-1', address: '10.0.0.1' }))).toThrow(
      expect.objectContaining({ name: 'DuplicateHost', details: { field: 'name' } }),
    );
    expect(() => upsertHost(cluster, input({ id: 'nope' }))).toThrow(expect.objectContaining({ name: 'HostNotFound' }));
    expect(() => upsertHost(cluster, input({ name: 'has space', address: '10.0.0.2' }))).toThrow(
      expect.objectContaining({ name: 'InvalidHostName' }),
    );
  });

  it('checks jump hosts: in the inventory, no loops, valid specs', () => {
    const a = upsertHost(base(), input());
    const b = upsertHost(a.cluster, input({ name: 'b', address: '10.0.0.2', jump: { kind: 'host', hostId: a.host.id } }));
    expect(() => upsertHost(b.cluster, input({ id: a.host.id, jump: { kind: 'host', hostId: b.host.id } }))).toThrow(
      expect.objectContaining({ name: 'InvalidJumpHost' }),
    );
    expect(() => upsertHost(b.cluster, input({ name: 'c', address: '10.0.0.3', jump: { kind: 'host', hostId: 'gone' } }))).toThrow(
      expect.objectContaining({ name: 'InvalidJumpHost' }),
    );
    expect(() => upsertHost(b.cluster, input({ name: 'c', address: '10.0.0.3', jump: { kind: 'spec', spec: 'a b' } }))).toThrow(
      expect.objectContaining({ name: 'InvalidJumpHost' }),
    );
    expect(
      upsertHost(b.cluster, input({ name: 'c', address: '10.0.0.3', jump: { kind: 'spec', spec: 'admin@bastion:2222' } })).host.jump,
    ).toEqual({ kind: 'spec', spec: 'admin@bastion:2222' });
    expect(() => removeHost(b.cluster, a.host.id)).toThrow(expect.objectContaining({ name: 'HostInUse' }));
    expect(removeHost(b.cluster, b.host.id).hosts.map((h: Host) => h.name)).toEqual(['etcd-1']);
  });
});

describe('setRoles and addPastedHosts', () => {
  it('pastes the seed ranges, then sets the roles of some hosts and leaves the rest', () => {
    const { cluster, added } = addPastedHosts(base(), '192.168.50.20-22\n192.168.50.10-11\n192.168.50.40-42', { user: 'admin' });
    expect(added).toHaveLength(8);
    expect(cluster.hosts[0]).toMatchObject({ name: '192.168.50.20', address: '192.168.50.20', user: 'admin', port: 22, roles: [] });
    const next = setRoles(cluster, { [added[0]!]: ['node', 'etcd'], [added[3]!]: ['master'] });
    expect(next.hosts.map((h) => h.roles)).toEqual([['etcd', 'node'], [], [], ['master'], [], [], [], []]);
    expect(() => setRoles(cluster, { nope: ['etcd'] })).toThrow(expect.objectContaining({ name: 'HostNotFound' }));
  });

  it('refuses a list with a wrong line, adding nothing, and says which lines', () => {
    const { cluster } = addPastedHosts(base(), '10.0.0.1');
    let error: unknown;
    try {
      addPastedHosts(cluster, '10.0.0.2\n10.0.0.1\n10.0.0.999');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({
      name: 'InvalidHostList',
      message: expect.stringContaining('line 2: 10.0.0.1 is already in the inventory'),
    });
    expect((error as Error).message).toContain('line 3: "10.0.0.999" is not an IPv4');
    expect(() => addPastedHosts(cluster, '# nothing\n')).toThrow(expect.objectContaining({ name: 'InvalidHostList' }));
  });
});
