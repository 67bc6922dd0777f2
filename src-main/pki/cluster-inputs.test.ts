import { describe, expect, it } from 'vitest';
import { ClusterSchema, type Cluster } from '../../src-shared/model/cluster';
import { KubesmithError } from '../../src-shared/errors';
import { readClusterInputs } from './cluster-inputs';

function cluster(hosts: [string, string, string[]][], settings: Partial<Cluster['settings']> = {}): Cluster {
  return ClusterSchema.parse({
    name: 'lab',
    hosts: hosts.map(([name, address, roles], i) => ({ id: `h${i}`, name, address, roles })),
    settings,
  });
}

const good: [string, string, string[]][] = [
  ['cp-1', '10.231.0.10', ['master', 'etcd']],
  ['w-1', 'w-1.lab', ['node']],
];

function errorOf(fn: () => unknown): KubesmithError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KubesmithError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('readClusterInputs', () => {
  it('sorts hosts into masters, etcd members and kubelet hosts', () => {
    const inputs = readClusterInputs(cluster([...good, ['idle', '10.231.0.99', []]]));
    expect(inputs.masters.map((h) => h.name)).toEqual(['cp-1']);
    expect(inputs.etcdMembers.map((h) => h.name)).toEqual(['cp-1']);
    expect(inputs.kubeletHosts.map((h) => h.name)).toEqual(['cp-1', 'w-1']);
    expect(inputs.kubeletHosts[1]?.address).toEqual({ kind: 'dns', value: 'w-1.lab' });
    expect(inputs.serviceIp).toBe('10.96.0.1');
  });

  it.each([
    ['an invalid extra SAN', cluster(good, { extraSans: ['ok.lab', 'not a name!'] }), 'PkiInvalidSan', /not a name!/],
    ['a host without an address', cluster([...good, ['w-2', '   ', ['node']]]), 'PkiHostWithoutAddress', /w-2/],
    ['a host address that is no name', cluster([...good, ['w-2', '10.0.0.300', ['node']]]), 'PkiInvalidHostAddress', /10\.0\.0\.300/],
    ['a host name that is no node name', cluster([...good, ['Worker_2', '10.0.0.3', ['node']]]), 'PkiInvalidHostName', /Worker_2/],
    ['two hosts with one name', cluster([...good, ['w-1', '10.0.0.3', ['node']]]), 'PkiDuplicateHostName', /w-1/],
    ['no master', cluster([['e', '10.0.0.1', ['etcd']]]), 'PkiNoControlPlane', /master/],
    ['no etcd member', cluster([['m', '10.0.0.1', ['master']]]), 'PkiNoEtcdMembers', /etcd/],
    ['a bad service CIDR', cluster(good, { serviceCidr: '10.96.0.0/40' }), 'PkiInvalidServiceCidr', /10\.96\.0\.0\/40/],
    ['a bad cluster domain', cluster(good, { clusterDomain: 'bad domain' }), 'PkiInvalidClusterDomain', /bad domain/],
  ])('refuses %s', (_what, input, name, message) => {
    const err = errorOf(() => readClusterInputs(input));
    expect(err.name).toBe(name);
    expect(err.message).toMatch(message);
    expect(err.hint).toBeTruthy();
  });

  it('reports the first problem and lists the others', () => {
    const err = errorOf(() => readClusterInputs(cluster([['m', ' ', ['master']]], { extraSans: ['-bad-'] })));
    expect(err.name).toBe('PkiHostWithoutAddress');
    expect(err.details?.otherProblems).toEqual([expect.stringMatching(/etcd role/), expect.stringMatching(/-bad-/)]);
  });
});
