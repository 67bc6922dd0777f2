import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterSchema, hostsWithRole, type Cluster } from '../../src-shared/model/cluster';
import { validateTopology } from '../../src-shared/model/validate-topology';
import { importKubeasz } from './kubeasz-import';

const FIXTURE = join(__dirname, '..', '..', 'test', 'fixtures', 'kubeasz');
const empty = (): Cluster => ClusterSchema.parse({ name: 'seed' });
const addresses = (c: Cluster, role: 'etcd' | 'master' | 'node') => hostsWithRole(c, role).map((h) => h.address);

describe('importKubeasz', () => {
  it("imports the seed's kubeasz hosts file and config.yml into exactly the seed's topology", async () => {
    const hostsIni = await readFile(join(FIXTURE, 'hosts'), 'utf8');
    const configYaml = await readFile(join(FIXTURE, 'config.yml'), 'utf8');
    const { cluster, added, updated, notes } = importKubeasz(empty(), hostsIni, configYaml);

    expect({ added, updated }).toEqual({ added: 8, updated: 0 });
    expect(cluster.hosts).toHaveLength(8);
    expect(addresses(cluster, 'etcd')).toEqual(['192.168.50.20', '192.168.50.21', '192.168.50.22']);
    expect(addresses(cluster, 'master')).toEqual(['192.168.50.10', '192.168.50.11']);
    expect(addresses(cluster, 'node')).toEqual(['192.168.50.40', '192.168.50.41', '192.168.50.42']);
    expect(cluster.hosts.every((h) => h.roles.length === 1)).toBe(true);
    expect(cluster.hosts.map((h) => h.name)).toEqual([
      '192.168.50.20',
      '192.168.50.21',
      '192.168.50.22',
      'master-01',
      'master-02',
      'worker-01',
      'worker-02',
      'worker-03',
    ]);
    expect(cluster.hosts[0]).toMatchObject({ port: 22, user: 'root', auth: { kind: 'agent' }, sudo: 'none' });

    expect(cluster.settings).toEqual({
      kubernetesVersion: '1.34',
      podCidr: '172.20.0.0/16',
      serviceCidr: '10.68.0.0/16',
      clusterDomain: 'cluster.local',
      proxyMode: 'ipvs',
      cni: 'calico',
      addons: { coredns: false, metricsServer: false, headlamp: false },
      extraSans: ['10.1.1.1', 'k8s.easzlab.io'],
      binarySource: { kind: 'official' },
      artifactTransfer: 'fromComputer',
      registryMirrors: {},
    });
    expect(notes).toEqual([]);
    const report = validateTopology(cluster);
    expect(report.ha).toBe(true);
    expect(report.findings).toEqual([]);
  });

  it('reads host variables, group vars and passwords, which go to the secret store only', () => {
    const ini = `
[etcd]
10.0.0.1 ansible_ssh_port=2222 ansible_user=admin ansible_ssh_pass='s3cret!' NODE_NAME=etcd1
[kube_master]
10.0.0.1
[kube_node]
node[1:2].lab
[kube_node:vars]
ansible_ssh_private_key_file=~/.ssh/lab
ansible_become=true
[ex_lb]
10.0.0.9 LB_ROLE=master
[all:vars]
CLUSTER_NETWORK="kube-ovn"
PROXY_MODE="iptables"
`;
    const result = importKubeasz(empty(), ini);
    expect(result.cluster.hosts).toEqual([
      {
        id: expect.any(String),
        name: 'etcd1',
        address: '10.0.0.1',
        port: 2222,
        user: 'admin',
        auth: { kind: 'password' },
        sudo: 'none',
        roles: ['etcd', 'master'],
      },
      {
        id: expect.any(String),
        name: 'node1.lab',
        address: 'node1.lab',
        port: 22,
        user: 'root',
        auth: { kind: 'key', keyPath: '~/.ssh/lab', hasPassphrase: false },
        sudo: 'passwordless',
        roles: ['node'],
      },
      expect.objectContaining({ name: 'node2.lab', roles: ['node'] }),
    ]);
    expect(JSON.stringify(result.cluster)).not.toContain('s3cret!');
    expect(result.secrets).toEqual([{ hostId: result.cluster.hosts[0]!.id, values: { password: 's3cret!' } }]);
    expect(result.cluster.settings.proxyMode).toBe('iptables');
    expect(result.cluster.settings.cni).toBe('calico');
    expect(result.notes.map((n) => n.code)).toEqual(['ignoredGroup', 'passwordStored', 'unsupportedCni', 'noConfig']);
    expect(result.notes[0]).toEqual({ code: 'ignoredGroup', params: { group: 'ex_lb', count: 1 } });
  });

  it('updates hosts already in the inventory by address, keeping their id', () => {
    const first = importKubeasz(empty(), '[etcd]\n192.168.50.20\n');
    const again = importKubeasz(first.cluster, '[kube_master]\n192.168.50.20 k8s_nodename=m1\n[kube_node]\n192.168.50.40\n');
    expect({ added: again.added, updated: again.updated }).toEqual({ added: 1, updated: 1 });
    expect(again.cluster.hosts[0]).toMatchObject({ id: first.cluster.hosts[0]!.id, roles: ['master'] });
  });

  it('refuses files that are not a kubeasz cluster, or whose settings are wrong, with the reason', () => {
    expect(() => importKubeasz(empty(), '[web]\n10.0.0.1\n')).toThrow(expect.objectContaining({ name: 'InvalidKubeaszInventory' }));
    expect(() => importKubeasz(empty(), '[etcd]\n10.0.0.300\n')).toThrow(/Line 2.*10\.0\.0\.300/);
    expect(() => importKubeasz(empty(), '[etcd]\n10.0.0.1\n[all:vars]\nSERVICE_CIDR="10.0.0.0/16"\n')).toThrow(
      expect.objectContaining({ name: 'InvalidSettings', message: expect.stringContaining('contains the address of host 10.0.0.1') }),
    );
    expect(() => importKubeasz(empty(), '[etcd]\n10.0.0.1\n', 'K8S_VER: [1\n')).toThrow(
      expect.objectContaining({ name: 'InvalidKubeaszConfig' }),
    );
    const old = importKubeasz(empty(), '[etcd]\n10.0.0.1\n', 'K8S_VER: "v1.28.2"\ndns_install: "yes"\nENABLE_LOCAL_DNS_CACHE: true\n');
    expect(old.notes).toEqual([
      { code: 'unsupportedVersion', params: { value: '1.28.2', using: '1.37' } },
      { code: 'localDnsCacheSkipped', params: {} },
    ]);
  });
});
