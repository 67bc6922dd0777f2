import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src-shared/model/cluster';
import { seedCluster } from '../../test/support/pki-fixtures';
import { readClusterInputs } from './cluster-inputs';
import { certificatePurpose, isSafeId, layoutFiles, planLayout, type LeafEntry } from './layout';

/** The seed topology with one worker (the expected leaves list each host's). */
function seed(): Cluster {
  const cluster = seedCluster();
  cluster.hosts = cluster.hosts.filter((h) => h.name !== 'worker-2' && h.name !== 'worker-3');
  cluster.settings.extraSans = ['api.lab.example', '10.0.0.99'];
  return cluster;
}

const urls = { apiServerUrl: 'https://127.0.0.1:6443', adminApiServerUrl: 'https://192.168.50.10:6443' };

function leaf(id: string, cluster = seed(), options = urls): LeafEntry {
  const found = planLayout(readClusterInputs(cluster), options).leaves.find((l) => l.id === id);
  if (!found) throw new Error(`no leaf ${id}`);
  return found;
}

describe('planLayout', () => {
  it('has kubeadm three CAs, the shared leaves, and per-host etcd and kubelet certificates', () => {
    const layout = planLayout(readClusterInputs(seed()), urls);
    expect(layout.cas.map((c) => [c.id, c.certPath, c.keyPath, c.subject.commonName])).toEqual([
      ['ca', 'ca.crt', 'ca.key', 'kubernetes-ca'],
      ['etcd/ca', 'etcd/ca.crt', 'etcd/ca.key', 'etcd-ca'],
      ['front-proxy-ca', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'front-proxy-ca'],
    ]);
    expect(layout.leaves.map((l) => `${l.id} <- ${l.caId} (${l.profile})`)).toEqual([
      'apiserver <- ca (server)',
      'apiserver-kubelet-client <- ca (client)',
      'apiserver-etcd-client <- etcd/ca (client)',
      'front-proxy-client <- front-proxy-ca (client)',
      'etcd/healthcheck-client <- etcd/ca (client)',
      ...['etcd-1', 'etcd-2', 'etcd-3'].flatMap((h) => [
        `hosts/${h}/etcd/server <- etcd/ca (server-client)`,
        `hosts/${h}/etcd/peer <- etcd/ca (server-client)`,
      ]),
      ...['admin', 'super-admin', 'controller-manager', 'scheduler', 'kube-proxy'].map((n) => `kubeconfig/${n} <- ca (client)`),
      ...['master-1', 'master-2', 'worker-1'].flatMap((h) => [
        `hosts/${h}/kubelet <- ca (server)`,
        `hosts/${h}/kubelet-client <- ca (client)`,
      ]),
    ]);
    expect(layout.serviceAccount).toMatchObject({ privateKeyPath: 'sa.key', publicKeyPath: 'sa.pub' });
    expect(layout.kubeconfigs.map((k) => `${k.path} ${k.userName} ${k.server}`)).toEqual([
      'kubeconfig/admin.conf kubernetes-admin https://192.168.50.10:6443',
      'kubeconfig/super-admin.conf kubernetes-super-admin https://192.168.50.10:6443',
      'kubeconfig/controller-manager.conf system:kube-controller-manager https://127.0.0.1:6443',
      'kubeconfig/scheduler.conf system:kube-scheduler https://127.0.0.1:6443',
      'kubeconfig/kube-proxy.conf system:kube-proxy https://127.0.0.1:6443',
      'hosts/master-1/kubelet.conf system:node:master-1 https://127.0.0.1:6443',
      'hosts/master-2/kubelet.conf system:node:master-2 https://127.0.0.1:6443',
      'hosts/worker-1/kubelet.conf system:node:worker-1 https://127.0.0.1:6443',
    ]);
  });

  it('gives the API server every control-plane name and address, the service IP, the kubernetes names and the extra SANs', () => {
    expect(leaf('apiserver').sans).toEqual({
      dns: [
        'api.lab.example',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
        'localhost',
        'master-1',
        'master-2',
      ],
      ip: ['10.0.0.99', '10.96.0.1', '127.0.0.1', '192.168.50.10', '192.168.50.11'],
    });
  });

  it('adds the host of a load-balancer URL to the API server SANs', () => {
    expect(leaf('apiserver', seed(), { ...urls, apiServerUrl: 'https://k8s.lab.example:8443' }).sans.dns).toContain('k8s.lab.example');
  });

  it('follows the cluster domain and service CIDR', () => {
    const cluster = seed();
    cluster.settings.clusterDomain = 'home.arpa';
    cluster.settings.serviceCidr = '10.43.0.0/16';
    const sans = leaf('apiserver', cluster).sans;
    expect(sans.dns).toContain('kubernetes.default.svc.home.arpa');
    expect(sans.ip).toContain('10.43.0.1');
    expect(sans.ip).not.toContain('10.96.0.1');
  });

  it('issues etcd member certificates for the member name, its address and loopback', () => {
    const server = leaf('hosts/etcd-2/etcd/server');
    expect(server.subject).toEqual({ commonName: 'etcd-2', organizations: [] });
    expect(server.sans).toEqual({ dns: ['etcd-2', 'localhost'], ip: ['127.0.0.1', '192.168.50.21', '::1'] });
    expect(leaf('hosts/etcd-2/etcd/peer').sans).toEqual(server.sans);
  });

  it('uses the groups and names Kubernetes authorises', () => {
    expect(leaf('kubeconfig/admin').subject).toEqual({ commonName: 'kubernetes-admin', organizations: ['kubeadm:cluster-admins'] });
    expect(leaf('kubeconfig/super-admin').subject).toEqual({ commonName: 'kubernetes-super-admin', organizations: ['system:masters'] });
    expect(leaf('apiserver-kubelet-client').subject.organizations).toEqual(['kubeadm:cluster-admins']);
    expect(leaf('kubeconfig/kube-proxy').subject.commonName).toBe('system:kube-proxy');
    expect(leaf('hosts/worker-1/kubelet-client').subject).toEqual({ commonName: 'system:node:worker-1', organizations: ['system:nodes'] });
    expect(leaf('hosts/worker-1/kubelet').sans).toEqual({ dns: ['worker-1'], ip: ['192.168.50.40'] });
  });

  it('lists each file once, secrets marked', () => {
    const files = layoutFiles(planLayout(readClusterInputs(seed()), urls));
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
    expect(files.filter((f) => f.secret).every((f) => /\.(key|conf)$/.test(f.path))).toBe(true);
    expect(files.filter((f) => !f.secret).every((f) => /\.(crt|pub)$/.test(f.path))).toBe(true);
  });
});

describe('certificatePurpose and isSafeId', () => {
  it('describes the certificates Kubesmith issues', () => {
    expect(certificatePurpose('apiserver')).toBe('API server serving certificate');
    expect(certificatePurpose('hosts/etcd-1/etcd/peer')).toBe('etcd peer certificate of etcd-1');
    expect(certificatePurpose('hosts/w.lab/kubelet')).toBe('kubelet serving certificate of w.lab');
    expect(certificatePurpose('something-else')).toBeUndefined();
  });

  it('refuses ids that could leave the pki folder', () => {
    expect(isSafeId('hosts/worker-1.lab/kubelet-client')).toBe(true);
    for (const bad of ['../ca', 'a/../../b', '/etc/passwd', 'A', 'a//b', '', 'a/.hidden', 'x\u0000']) expect(isSafeId(bad)).toBe(false);
  });
});
