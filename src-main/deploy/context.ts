import { KubesmithError } from '../../src-shared/errors';
import { hostsWithRole, type Cluster, type Host } from '../../src-shared/model/cluster';
import type { WaivableCheck } from '../../src-shared/model/plan';
import { ipvsSupport } from '../../src-shared/model/validate-topology';
import type { BinarySet } from './binaries/types';
import { releaseParts } from './deployed-record';
import { flagsFor } from './flags';
import type { ClusterPki } from './pki-source';
import { checkPlanValues } from './plan-values';
import type { Templates } from './templates';
import { RELEASES, type ReleaseSet } from './versions';

export interface PlanInputs {
  cluster: Cluster;
  pki: ClusterPki;
  binaries: BinarySet;
  templates: Templates;
  now?: Date;
  /** Preflight checks left out on the user's word. */
  waive?: readonly WaivableCheck[];
  /** etcd membership changes pass through an even count one member at a time; a deploy never does. */
  allowEvenEtcd?: boolean;
  /** How artifacts travel: through a relay host over the LAN (the default) or each directly from this computer. */
  transfer?: 'relay' | 'direct';
}

/** Everything a phase builder reads: the inputs plus the topology worked out once. */
export interface PlanContext extends PlanInputs {
  version: string;
  release: ReleaseSet;
  etcdHosts: Host[];
  masters: Host[];
  /** Hosts that run kubelet, kube-proxy, containerd and the load balancer: masters and nodes. */
  kubeletHosts: Host[];
  /** Every host with a role, in inventory order. */
  hosts: Host[];
  /** The master that applies add-ons and runs the checks. */
  addonHost: Host;
  stepId(phase: string, host: Host, name: string): string;
}

/** Binaries labelled with another minor version (an offline bundle's versions.json) would run with the wrong flags. */
function checkBinariesVersion(binaries: BinarySet, version: string): void {
  const label = binaries.versions.kubernetes;
  const labelled = label ? releaseParts(label) : undefined;
  if (labelled && labelled.minor !== version) {
    throw new KubesmithError(
      'BinariesMismatch',
      `The binary source holds Kubernetes ${label}, not ${version}.`,
      `Point the binary source (Cluster settings) at binaries of Kubernetes ${version}, or pick the version it holds.`,
    );
  }
}

/** The topology check refuses it too; the plan says so again for a cluster.yaml edited by hand or a CLI deploy. */
function checkProxyMode(cluster: Cluster): void {
  const { proxyMode, kubernetesVersion } = cluster.settings;
  if (proxyMode === 'ipvs' && ipvsSupport(kubernetesVersion) === 'refused') {
    throw new KubesmithError(
      'ProxyModeRefused',
      `kube-proxy's ipvs mode is on its way out of Kubernetes ${kubernetesVersion} (behind the KubeProxyIPVS feature gate); Kubesmith does not deploy it.`,
      'Choose nftables (or iptables) as the proxy mode in Cluster settings.',
    );
  }
}

export function planContext(inputs: PlanInputs): PlanContext {
  const { cluster } = inputs;
  const version = cluster.settings.kubernetesVersion;
  checkProxyMode(cluster);
  flagsFor(version);
  const release = RELEASES[version];
  if (!release) throw new KubesmithError('UnsupportedVersion', `Kubernetes ${version} is not supported.`);
  checkBinariesVersion(inputs.binaries, version);
  checkPlanValues(cluster);
  const etcdHosts = hostsWithRole(cluster, 'etcd');
  const masters = hostsWithRole(cluster, 'master');
  const kubeletHosts = cluster.hosts.filter((h) => h.roles.includes('master') || h.roles.includes('node'));
  const hosts = cluster.hosts.filter((h) => h.roles.length > 0);
  const addonHost = masters[0];
  if (etcdHosts.length === 0 || !addonHost) {
    throw new KubesmithError(
      'TopologyIncomplete',
      'The cluster needs at least one etcd host and one master.',
      'Assign roles on the Topology screen.',
    );
  }
  if (etcdHosts.length % 2 === 0 && !inputs.allowEvenEtcd) {
    throw new KubesmithError(
      'EtcdEvenMembers',
      `etcd has ${etcdHosts.length} members; it needs an odd number (1, 3 or 5) to keep quorum.`,
      'Add or remove one etcd host on the Topology screen.',
    );
  }
  const names = new Map<string, string>();
  for (const h of hosts) {
    const other = names.get(h.name);
    if (other !== undefined)
      throw new KubesmithError(
        'DuplicateHostName',
        `Two hosts are named "${h.name}".`,
        'Every node needs its own name; rename one in the inventory.',
      );
    names.set(h.name, h.id);
  }
  return {
    ...inputs,
    version,
    release,
    etcdHosts,
    masters,
    kubeletHosts,
    hosts,
    addonHost,
    stepId: (phase, host, name) => `${phase}/${host.id}/${name}`,
  };
}
