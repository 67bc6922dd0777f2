import { ClusterSchema, type Cluster } from '../../../src-shared/model/cluster';
import { COMPONENT_FILES, type BinarySet, type Component } from '../../../src-main/deploy/binaries/types';
import type { CertPair, ClusterPki } from '../../../src-main/deploy/pki-source';
import { buildPlan } from '../../../src-main/deploy/plan-builder';
import { fileTemplates } from '../../../src-main/deploy/templates';
import { planSteps, type PlanStep } from '../../../src-shared/model/plan';

/** Placeholder PEM text that says what it stands for: enough for planning, never valid crypto. */
const pem = (label: string, kind = 'CERTIFICATE') =>
  `-----BEGIN ${kind}-----\n${Buffer.from(label).toString('base64')}\n-----END ${kind}-----\n`;
const pair = (label: string): CertPair => ({ cert: pem(label), key: pem(label, 'PRIVATE KEY') });

export function fakePki(): ClusterPki {
  return {
    ca: { kubernetes: pem('ca'), etcd: pem('etcd-ca'), frontProxy: pem('front-proxy-ca') },
    kubernetesCaKey: pem('ca', 'PRIVATE KEY'),
    serviceAccount: { key: pem('sa', 'PRIVATE KEY'), pub: pem('sa', 'PUBLIC KEY') },
    apiserver: (h) => pair(`apiserver@${h}`),
    apiserverKubeletClient: pair('apiserver-kubelet-client'),
    apiserverEtcdClient: pair('apiserver-etcd-client'),
    frontProxyClient: pair('front-proxy-client'),
    etcdServer: (h) => pair(`etcd-server@${h}`),
    etcdPeer: (h) => pair(`etcd-peer@${h}`),
    etcdHealthcheckClient: pair('etcd-healthcheck-client'),
    admin: pair('admin'),
    controllerManager: pair('controller-manager'),
    scheduler: pair('scheduler'),
    kubeProxy: pair('kube-proxy'),
    kubelet: (h) => pair(`kubelet@${h}`),
    kubeletServing: (h) => pair(`kubelet-serving@${h}`),
  };
}

export function fakeBinaries(): BinarySet {
  const files = (Object.keys(COMPONENT_FILES) as Component[]).flatMap((component) =>
    COMPONENT_FILES[component].map((name) => ({ component, name, localPath: `/cache/${name}`, sha256: `sha-${name}`, size: 1000 })),
  );
  return { files, versions: { etcd: '3.6.5', containerd: '2.1.4' }, packages: [] };
}

/** n hosts: the first three are etcd + master, the rest nodes (the seed topology). */
export function labCluster(n = 6, overrides: Partial<Cluster['settings']> = {}): Cluster {
  const hosts = Array.from({ length: n }, (_, i) => ({
    id: `h${i + 1}`,
    name: `node${i + 1}`,
    address: `10.231.0.${11 + i}`,
    roles: i < 3 ? ['etcd', 'master'] : ['node'],
  }));
  return ClusterSchema.parse({ name: 'lab', hosts, settings: { cni: 'flannel', ...overrides } });
}

/** Every step of the deploy plan for a cluster (three lab hosts unless given), with the fake PKI and binaries. */
export function labPlanSteps(cluster: Cluster = labCluster(3)): PlanStep[] {
  return planSteps(buildPlan({ cluster, pki: fakePki(), binaries: fakeBinaries(), templates: fileTemplates(), now: new Date(0) }));
}
