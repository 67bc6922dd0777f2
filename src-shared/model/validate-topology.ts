import { normalizeAddress } from '../net/host-address';
import { hostsWithRole, kubernetesMinor, type Cluster, type Host } from './cluster';
import { validateSettings } from './validate-settings';

export const FINDING_CODES = [
  'etcdNone',
  'etcdEven',
  'etcdMany',
  'masterNone',
  'workerNone',
  'notHa',
  'duplicateAddress',
  'duplicateName',
  'noRole',
  'probeFailed',
  'lowResources',
  'jumpMissing',
  'settingsInvalid',
  'proxyIpvsDeprecated',
  'proxyIpvsRefused',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];
export type FindingMessageKey = `finding.${FindingCode}`;
export type FindingFixKey = `fix.${FindingCode}`;

export interface Finding {
  severity: 'error' | 'warning';
  code: FindingCode;
  /** i18n key of what is wrong, filled in with params. */
  messageKey: FindingMessageKey;
  params: Record<string, string | number>;
  /** i18n key of what to do about it, filled in with the same params. */
  fixKey: FindingFixKey;
  /** The hosts the finding is about, so the canvas can mark them. */
  hostIds: string[];
}

export interface TopologyReport {
  findings: Finding[];
  counts: { etcd: number; master: number; node: number; unassigned: number };
  /** Survives the loss of one control plane and one etcd member. */
  ha: boolean;
  /** An error stands: deploying is not allowed. */
  blocked: boolean;
}

export const CONTROL_PLANE_MIN_CPUS = 2;
export const CONTROL_PLANE_MIN_MEMORY_BYTES = 2 * 1024 ** 3;
/** The kernel keeps some memory for itself, so a 2 GiB VM reports a little less as MemTotal. */
const MEMORY_SLACK = 0.9;
const ETCD_MAX_RECOMMENDED = 7;
/** kube-proxy's ipvs mode is deprecated from this version on (kubernetes#134539); it still works, so a warning. */
const IPVS_DEPRECATED_FROM = '1.35';
/**
 * From this version on Kubesmith refuses ipvs for a cluster. Kubernetes 1.37 puts ipvs behind the KubeProxyIPVS
 * feature gate on its way out (kubernetes.io/docs/reference/networking/virtual-ips/: deprecated since 1.35,
 * off by default from 1.40 behind that gate, removed in 1.43); a cluster started on it now would have to change
 * proxy mode in place later, so it starts on nftables or iptables instead.
 */
const IPVS_REFUSED_FROM = '1.37';

/** How Kubesmith treats kube-proxy's ipvs mode for a Kubernetes version, by minor number. */
export function ipvsSupport(kubernetesVersion: string): 'supported' | 'deprecated' | 'refused' {
  const minor = kubernetesMinor(kubernetesVersion);
  if (minor >= kubernetesMinor(IPVS_REFUSED_FROM)) return 'refused';
  return minor >= kubernetesMinor(IPVS_DEPRECATED_FROM) ? 'deprecated' : 'supported';
}

/** What is wrong with a cluster's topology, at once: run on every change, beside the canvas. */
export function validateTopology(cluster: Pick<Cluster, 'hosts' | 'settings'>): TopologyReport {
  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], code: FindingCode, params: Record<string, string | number> = {}, hostIds: string[] = []) =>
    findings.push({ severity, code, messageKey: `finding.${code}`, params, fixKey: `fix.${code}`, hostIds });

  const etcd = hostsWithRole(cluster, 'etcd');
  const masters = hostsWithRole(cluster, 'master');
  const workers = hostsWithRole(cluster, 'node');
  const unassigned = cluster.hosts.filter((h) => h.roles.length === 0);
  const ids = (hosts: readonly Host[]) => hosts.map((h) => h.id);

  if (etcd.length === 0) add('error', 'etcdNone');
  else if (etcd.length % 2 === 0)
    add('error', 'etcdEven', { count: etcd.length, fewer: etcd.length - 1, more: etcd.length + 1 }, ids(etcd));
  else if (etcd.length > ETCD_MAX_RECOMMENDED) add('warning', 'etcdMany', { count: etcd.length, max: ETCD_MAX_RECOMMENDED }, ids(etcd));
  if (masters.length === 0) add('error', 'masterNone');
  if (masters.length > 0 && workers.length === 0) add('warning', 'workerNone');
  const ha = masters.length >= 2 && etcd.length >= 3 && etcd.length % 2 === 1;
  // An even etcd count already stands as an error; saying "not HA" as well would only repeat it.
  if (!ha && masters.length > 0 && etcd.length % 2 === 1) add('warning', 'notHa', { masters: masters.length, etcd: etcd.length });

  for (const group of duplicates(cluster.hosts, (h) => normalizeAddress(h.address))) {
    add('error', 'duplicateAddress', { address: group[0]!.address, names: group.map((h) => h.name).join(', ') }, ids(group));
  }
  for (const group of duplicates(cluster.hosts, (h) => h.name.toLowerCase())) {
    add('error', 'duplicateName', { name: group[0]!.name, count: group.length }, ids(group));
  }
  for (const host of unassigned) add('warning', 'noRole', { name: host.name }, [host.id]);

  const byId = new Map(cluster.hosts.map((h) => [h.id, h]));
  for (const host of cluster.hosts) {
    if (host.jump?.kind === 'host' && (!byId.has(host.jump.hostId) || host.jump.hostId === host.id))
      add('error', 'jumpMissing', { name: host.name }, [host.id]);
    if (host.roles.length === 0 || !host.probe) continue;
    if (!host.probe.ok) {
      add('error', 'probeFailed', { name: host.name, error: host.probe.error?.message ?? '' }, [host.id]);
      continue;
    }
    if (!host.roles.includes('master')) continue;
    const { cpus, memoryBytes } = host.probe;
    const lowCpu = cpus !== undefined && cpus < CONTROL_PLANE_MIN_CPUS;
    const lowMemory = memoryBytes !== undefined && memoryBytes < CONTROL_PLANE_MIN_MEMORY_BYTES * MEMORY_SLACK;
    if (lowCpu || lowMemory) {
      add(
        'warning',
        'lowResources',
        {
          name: host.name,
          cpus: cpus ?? '?',
          memoryGiB: memoryBytes !== undefined ? (memoryBytes / 1024 ** 3).toFixed(1) : '?',
          minCpus: CONTROL_PLANE_MIN_CPUS,
          minMemoryGiB: CONTROL_PLANE_MIN_MEMORY_BYTES / 1024 ** 3,
        },
        [host.id],
      );
    }
  }

  const { proxyMode, kubernetesVersion } = cluster.settings;
  const ipvs = proxyMode === 'ipvs' ? ipvsSupport(kubernetesVersion) : 'supported';
  if (ipvs === 'deprecated') add('warning', 'proxyIpvsDeprecated', { version: kubernetesVersion });
  if (ipvs === 'refused') add('error', 'proxyIpvsRefused', { version: kubernetesVersion });

  const settingsProblems = validateSettings(cluster.settings, cluster.hosts);
  if (settingsProblems.length > 0) add('error', 'settingsInvalid', { count: settingsProblems.length });

  const order = { error: 0, warning: 1 } as const;
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  return {
    findings,
    counts: { etcd: etcd.length, master: masters.length, node: workers.length, unassigned: unassigned.length },
    ha,
    blocked: findings.some((f) => f.severity === 'error'),
  };
}

function duplicates(hosts: readonly Host[], key: (h: Host) => string): Host[][] {
  const groups = new Map<string, Host[]>();
  for (const h of hosts) groups.set(key(h), [...(groups.get(key(h)) ?? []), h]);
  return [...groups.values()].filter((g) => g.length > 1);
}
