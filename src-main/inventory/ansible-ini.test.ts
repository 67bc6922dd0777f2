import { describe, expect, it } from 'vitest';
import { parseAnsibleIni } from './ansible-ini';

describe('parseAnsibleIni', () => {
  it('reads groups, host variables (quoted or not), group vars and comments', () => {
    const inv = parseAnsibleIni(`
# comment
[etcd]
192.168.50.20 NODE_NAME=etcd1
192.168.50.21 ansible_ssh_port=2222 ansible_user="admin"  # trailing comment
;another comment
[kube_master]
192.168.50.10 k8s_nodename='master 01'
[kube_node:vars]
ansible_user=ops
[all:vars]
PROXY_MODE="ipvs"
CLUSTER_CIDR=172.20.0.0/16 # pods
[kube_cluster:children]
kube_master
`);
    expect(inv.groups.etcd).toEqual([
      { name: '192.168.50.20', vars: { NODE_NAME: 'etcd1' }, line: 4 },
      { name: '192.168.50.21', vars: { ansible_ssh_port: '2222', ansible_user: 'admin' }, line: 5 },
    ]);
    expect(inv.groups.kube_master).toEqual([{ name: '192.168.50.10', vars: { k8s_nodename: 'master 01' }, line: 8 }]);
    expect(inv.groupVars).toEqual({ kube_node: { ansible_user: 'ops' }, all: { PROXY_MODE: 'ipvs', CLUSTER_CIDR: '172.20.0.0/16' } });
    expect(inv.groups.kube_cluster).toBeUndefined();
  });

  it('expands host ranges, keeping zero padding', () => {
    const inv = parseAnsibleIni('[kube_node]\n192.168.50.[40:42] ansible_user=root\nnode[08:10].lab\n');
    expect(inv.groups.kube_node!.map((h) => h.name)).toEqual([
      '192.168.50.40',
      '192.168.50.41',
      '192.168.50.42',
      'node08.lab',
      'node09.lab',
      'node10.lab',
    ]);
    expect(inv.groups.kube_node![2]!.vars).toEqual({ ansible_user: 'root' });
  });

  it('says which line is wrong', () => {
    expect(() => parseAnsibleIni('[etcd\n')).toThrow(
      expect.objectContaining({ name: 'InvalidKubeaszInventory', message: expect.stringContaining('Line 1') }),
    );
    expect(() => parseAnsibleIni("[etcd]\n10.0.0.1 k8s_nodename='x\n")).toThrow(/Line 2.*quote/);
    expect(() => parseAnsibleIni('[etcd]\n10.0.0.1 novalue\n')).toThrow(/Line 2.*novalue/);
    expect(() => parseAnsibleIni('[all:vars]\njustakey\n')).toThrow(/Line 2/);
    expect(() => parseAnsibleIni('[etcd]\n10.0.0.[9:1]\n')).toThrow(/backwards/);
  });
});
