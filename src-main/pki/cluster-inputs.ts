import { KubesmithError } from '../../src-shared/errors';
import { hostsWithRole, type Cluster, type Host } from '../../src-shared/model/cluster';
import { firstServiceIp, isNodeName, normalizeDnsName, parseName, type ParsedName } from './sans';

/** A host as the PKI sees it: its node name and its address, already checked. */
export interface PkiHost {
  name: string;
  address: ParsedName;
}

/** The parts of a cluster that certificates depend on, validated. */
export interface PkiClusterInputs {
  clusterName: string;
  masters: PkiHost[];
  etcdMembers: PkiHost[];
  /** Masters and workers: every host that runs a kubelet. */
  kubeletHosts: PkiHost[];
  serviceIp: string;
  clusterDomain: string;
  extraSans: ParsedName[];
}

interface Problem {
  name: string;
  message: string;
  hint: string;
  details?: Record<string, unknown>;
}

/** Checks everything at once and throws the first problem, with the others listed in its details. */
export function readClusterInputs(cluster: Cluster): PkiClusterInputs {
  const problems: Problem[] = [];
  const hosts = new Map<string, PkiHost>();
  const seenNames = new Set<string>();
  const withRoles = cluster.hosts.filter((h) => h.roles.length > 0);
  for (const host of withRoles) {
    const checked = checkHost(host, seenNames, problems);
    if (checked) hosts.set(host.id, checked);
  }
  const pick = (list: Host[]): PkiHost[] => list.flatMap((h) => hosts.get(h.id) ?? []);
  const masters = pick(hostsWithRole(cluster, 'master'));
  const etcdMembers = pick(hostsWithRole(cluster, 'etcd'));
  const kubeletHosts = pick(cluster.hosts.filter((h) => h.roles.includes('master') || h.roles.includes('node')));

  if (hostsWithRole(cluster, 'master').length === 0) {
    problems.push({
      name: 'PkiNoControlPlane',
      message: 'The cluster has no host with the master role, so there is no API server to issue certificates for.',
      hint: 'Give at least one host the master role.',
    });
  }
  if (hostsWithRole(cluster, 'etcd').length === 0) {
    problems.push({
      name: 'PkiNoEtcdMembers',
      message: 'The cluster has no host with the etcd role, so there is no etcd member to issue certificates for.',
      hint: 'Give at least one host (three for high availability) the etcd role.',
    });
  }

  const serviceIp = firstServiceIp(cluster.settings.serviceCidr);
  if (serviceIp === undefined) {
    problems.push({
      name: 'PkiInvalidServiceCidr',
      message: `The service CIDR "${cluster.settings.serviceCidr}" is not a valid network.`,
      hint: 'Use a network such as 10.96.0.0/12; the API server certificate includes its first address.',
      details: { serviceCidr: cluster.settings.serviceCidr },
    });
  }
  const clusterDomain = normalizeDnsName(cluster.settings.clusterDomain);
  if (clusterDomain === undefined || clusterDomain.startsWith('*')) {
    problems.push({
      name: 'PkiInvalidClusterDomain',
      message: `The cluster domain "${cluster.settings.clusterDomain}" is not a valid DNS name.`,
      hint: 'Use a DNS name such as cluster.local.',
      details: { clusterDomain: cluster.settings.clusterDomain },
    });
  }
  const extraSans: ParsedName[] = [];
  for (const san of cluster.settings.extraSans) {
    const parsed = parseName(san);
    if (parsed) extraSans.push(parsed);
    else {
      problems.push({
        name: 'PkiInvalidSan',
        message: `The extra SAN "${san}" is neither an IP address nor a DNS name.`,
        hint: 'Use an IPv4 or IPv6 address, or a DNS name of letters, digits, dashes and dots (a leading "*." is allowed).',
        details: { san },
      });
    }
  }

  const [first, ...others] = problems;
  if (first) {
    throw new KubesmithError(first.name, first.message, first.hint, {
      ...first.details,
      ...(others.length > 0 ? { otherProblems: others.map((p) => p.message) } : {}),
    });
  }
  return {
    clusterName: cluster.name,
    masters,
    etcdMembers,
    kubeletHosts,
    serviceIp: serviceIp ?? '',
    clusterDomain: clusterDomain ?? '',
    extraSans,
  };
}

function checkHost(host: Host, seenNames: Set<string>, problems: Problem[]): PkiHost | undefined {
  let ok = true;
  if (!isNodeName(host.name)) {
    ok = false;
    problems.push({
      name: 'PkiInvalidHostName',
      message: `The host name "${host.name}" cannot be a Kubernetes node name.`,
      hint: 'Use lower-case letters, digits, dashes and dots, starting and ending with a letter or digit.',
      details: { hostId: host.id, hostName: host.name },
    });
  } else if (seenNames.has(host.name)) {
    ok = false;
    problems.push({
      name: 'PkiDuplicateHostName',
      message: `Two hosts are named "${host.name}"; node names and their certificates must be unique.`,
      hint: 'Rename one of the hosts.',
      details: { hostId: host.id, hostName: host.name },
    });
  }
  seenNames.add(host.name);

  const addressText = (host.address ?? '').trim();
  const address = addressText === '' ? undefined : parseName(addressText);
  if (addressText === '') {
    ok = false;
    problems.push({
      name: 'PkiHostWithoutAddress',
      message: `The host "${host.name}" has no address.`,
      hint: 'Enter the IP address (or DNS name) the other machines reach it on.',
      details: { hostId: host.id, hostName: host.name },
    });
  } else if (address === undefined || address.value.startsWith('*')) {
    ok = false;
    problems.push({
      name: 'PkiInvalidHostAddress',
      message: `The address "${addressText}" of host "${host.name}" is neither an IP address nor a DNS name.`,
      hint: 'Enter an IPv4 or IPv6 address, or a DNS name.',
      details: { hostId: host.id, hostName: host.name, address: addressText },
    });
  }
  return ok && address ? { name: host.name, address } : undefined;
}
