import type { SettingsProblem, SettingsProblemCode } from './validate-settings';

type Params = SettingsProblem['params'];

const ENGLISH: Record<SettingsProblemCode, (p: Params) => string> = {
  cidrEmpty: () => 'is empty',
  cidrSyntax: (p) => `"${p.value}" is not a CIDR like 10.244.0.0/16`,
  cidrPrefix: (p) => `"${p.value}" has a prefix length out of range`,
  cidrHostBits: (p) => `"${p.value}" has host bits set; the network is ${p.suggestion}`,
  cidrDualStack: (p) => `"${p.value}" must be one CIDR, or one IPv4 and one IPv6 CIDR`,
  cidrFamilies: (p) => `the pod network (${p.pod}) and service network (${p.service}) must use the same IP families`,
  cidrOverlap: (p) => `the pod network ${p.pod} overlaps the service network ${p.service}`,
  podTooSmall: (p) => `${p.value} is smaller than one node's /${p.nodeMask}`,
  podTooLarge: (p) => `${p.value} is too large; use a prefix of /${p.min} or longer`,
  podTooFewNodes: (p) => `${p.value} has room for ${p.max} nodes, but the cluster has ${p.count}`,
  serviceTooLarge: (p) => `${p.value} is too large for kube-apiserver; use a prefix of /${p.min} or longer`,
  serviceTooSmall: (p) => `${p.value} is too small; use a prefix of /${p.max} or shorter`,
  containsHost: (p) => `${p.value} contains the address of host ${p.host} (${p.address})`,
  domainInvalid: (p) => `"${p.value}" is not a DNS domain like cluster.local`,
  sanInvalid: (p) => `"${p.value}" is neither an IP address nor a DNS name`,
  sanDuplicate: (p) => `"${p.value}" is listed twice`,
  mirrorUrl: (p) => `"${p.value}" is not an http:// or https:// URL`,
  offlineFolder: (p) => `"${p.value}" is not an absolute folder path`,
  hostsDownloadOffline: () =>
    'the hosts cannot download an offline bundle (it is on this computer); send the binaries from this computer, or pick the official site or a mirror',
  registryInvalid: (p) => `"${p.value}" is not a registry like registry.lab:5000`,
};

/** The English words for a settings problem. */
export function settingsProblemReason(problem: SettingsProblem): string {
  return ENGLISH[problem.code](problem.params);
}

/** The same, with the field it belongs to. */
export function describeSettingsProblem(problem: SettingsProblem): string {
  return `${problem.field}: ${settingsProblemReason(problem)}`;
}
