import { cidrContains, cidrsOverlap, hostBits, parseCidr, type Cidr } from '../net/cidr';
import { isDnsName, isSanName } from '../net/host-address';
import { parseIp } from '../net/ip';
import { MIRRORED_REGISTRIES, type ClusterSettings, type Host, type MirroredRegistry } from './cluster';

export const SETTINGS_FIELDS = [
  'podCidr',
  'serviceCidr',
  'clusterDomain',
  'extraSans',
  'binarySource',
  'artifactTransfer',
  'registryMirrors.docker.io',
  'registryMirrors.registry.k8s.io',
  'registryMirrors.quay.io',
  'registryMirrors.ghcr.io',
] as const;
/** The settings field of one registry's mirror. */
export const mirrorField = (registry: MirroredRegistry) => `registryMirrors.${registry}` as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

export const SETTINGS_PROBLEM_CODES = [
  'cidrEmpty',
  'cidrSyntax',
  'cidrPrefix',
  'cidrHostBits',
  'cidrDualStack',
  'cidrFamilies',
  'cidrOverlap',
  'podTooSmall',
  'podTooLarge',
  'podTooFewNodes',
  'serviceTooLarge',
  'serviceTooSmall',
  'containsHost',
  'domainInvalid',
  'sanInvalid',
  'sanDuplicate',
  'mirrorUrl',
  'offlineFolder',
  'hostsDownloadOffline',
  'registryInvalid',
] as const;
export type SettingsProblemCode = (typeof SETTINGS_PROBLEM_CODES)[number];

export interface SettingsProblem {
  field: SettingsField;
  code: SettingsProblemCode;
  params: Record<string, string | number>;
}

/** Each node gets a /24 (IPv4) or /64 (IPv6) of the pod network: kube-controller-manager's defaults. */
const NODE_MASK = { 4: 24, 6: 64 } as const;
/** kube-apiserver refuses a service range with more than 20 host bits ("the mask must be >= 12" for IPv4, 108 for IPv6). */
const MAX_SERVICE_HOST_BITS = 20;
/** Room for the kubernetes service (.1), cluster DNS (.10) and a few more. */
const MIN_SERVICE_HOST_BITS = 4;

type HostFacts = Pick<Host, 'name' | 'address' | 'roles'>;

/**
 * Everything wrong with the cluster settings, each with the field it belongs to and its reason.
 * The renderer shows these beside the fields and does not save while any stands; the backend
 * refuses the same values, so a hand-made API call cannot store them either.
 */
export function validateSettings(settings: ClusterSettings, hosts: readonly HostFacts[] = []): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const add = (field: SettingsField, code: SettingsProblemCode, params: Record<string, string | number> = {}) =>
    problems.push({ field, code, params });

  const pods = readCidrList('podCidr', settings.podCidr, add);
  const services = readCidrList('serviceCidr', settings.serviceCidr, add);

  const kubeNodes = hosts.filter((h) => h.roles.includes('master') || h.roles.includes('node')).length;
  for (const pod of pods) {
    const value = pod.text;
    const nodeMask = NODE_MASK[pod.cidr.family];
    if (pod.cidr.prefix > nodeMask) add('podCidr', 'podTooSmall', { value, nodeMask });
    else if (nodeMask - pod.cidr.prefix > 16) add('podCidr', 'podTooLarge', { value, min: nodeMask - 16 });
    else if (kubeNodes > 2 ** (nodeMask - pod.cidr.prefix))
      add('podCidr', 'podTooFewNodes', { value, max: 2 ** (nodeMask - pod.cidr.prefix), count: kubeNodes });
  }
  for (const service of services) {
    const value = service.text;
    const bits = hostBits(service.cidr);
    if (bits > MAX_SERVICE_HOST_BITS)
      add('serviceCidr', 'serviceTooLarge', { value, min: service.cidr.prefix + bits - MAX_SERVICE_HOST_BITS });
    if (bits < MIN_SERVICE_HOST_BITS)
      add('serviceCidr', 'serviceTooSmall', { value, max: service.cidr.prefix + bits - MIN_SERVICE_HOST_BITS });
  }
  if (pods.length > 0 && services.length > 0) {
    const families = (list: ParsedCidr[]) => list.map((c) => c.cidr.family).join(',');
    if (pods.length !== services.length || families(pods) !== families(services)) {
      add('serviceCidr', 'cidrFamilies', { pod: settings.podCidr, service: settings.serviceCidr });
    }
  }
  for (const pod of pods) {
    for (const service of services) {
      if (cidrsOverlap(pod.cidr, service.cidr)) add('serviceCidr', 'cidrOverlap', { pod: pod.text, service: service.text });
    }
  }
  for (const host of hosts) {
    const ip = parseIp(host.address);
    if (!ip) continue;
    for (const [field, list] of [
      ['podCidr', pods],
      ['serviceCidr', services],
    ] as const) {
      const hit = list.find((c) => cidrContains(c.cidr, ip));
      if (hit) add(field, 'containsHost', { value: hit.text, host: host.name, address: host.address });
    }
  }

  if (!isDnsName(settings.clusterDomain) || settings.clusterDomain.endsWith('.'))
    add('clusterDomain', 'domainInvalid', { value: settings.clusterDomain });

  const seenSans = new Set<string>();
  settings.extraSans.forEach((san, index) => {
    if (parseIp(san) === undefined && !isSanName(san)) add('extraSans', 'sanInvalid', { value: san, index: index + 1 });
    else if (seenSans.has(san.toLowerCase())) add('extraSans', 'sanDuplicate', { value: san });
    seenSans.add(san.toLowerCase());
  });

  const source = settings.binarySource;
  if (source.kind === 'mirror' && !isHttpUrl(source.prefix)) add('binarySource', 'mirrorUrl', { value: source.prefix });
  if (source.kind === 'offline' && !isAbsolutePath(source.folder)) add('binarySource', 'offlineFolder', { value: source.folder });
  // An offline bundle lives on this computer: the hosts have nowhere to download it from.
  if (source.kind === 'offline' && settings.artifactTransfer === 'hostsDownload') add('artifactTransfer', 'hostsDownloadOffline', {});

  for (const registry of MIRRORED_REGISTRIES) {
    const mirror = settings.registryMirrors[registry];
    if (mirror !== undefined && mirror !== '' && !isRegistry(mirror))
      add(mirrorField(registry), 'registryInvalid', { value: mirror, registry });
  }
  return problems;
}

interface ParsedCidr {
  text: string;
  cidr: Cidr;
}

/** One CIDR, or two of different families separated by a comma for dual-stack ("10.244.0.0/16,fd00:10:244::/56"). */
function readCidrList(
  field: 'podCidr' | 'serviceCidr',
  text: string,
  add: (field: SettingsField, code: SettingsProblemCode, params?: Record<string, string | number>) => void,
): ParsedCidr[] {
  const parts = text.split(',').map((p) => p.trim());
  if (text.trim() === '') {
    add(field, 'cidrEmpty');
    return [];
  }
  const out: ParsedCidr[] = [];
  for (const part of parts) {
    const parsed = parseCidr(part);
    if (!parsed.ok) {
      const code = parsed.problem === 'syntax' ? 'cidrSyntax' : parsed.problem === 'prefix' ? 'cidrPrefix' : 'cidrHostBits';
      add(field, code, { value: part, ...(parsed.suggestion !== undefined ? { suggestion: parsed.suggestion } : {}) });
      return [];
    }
    out.push({ text: part, cidr: parsed.cidr });
  }
  if (out.length > 2 || (out.length === 2 && out[0]!.cidr.family === out[1]!.cidr.family)) {
    add(field, 'cidrDualStack', { value: text });
    return [];
  }
  return out;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isAbsolutePath(text: string): boolean {
  return text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\');
}

/** A registry as containerd's hosts.toml takes it: host[:port][/path], with or without http(s)://. */
export function isRegistry(text: string): boolean {
  const withScheme = /^https?:\/\//.test(text) ? text : `https://${text}`;
  // Only what a hosts.toml key and a URL path carry safely: no quotes, spaces, backslashes, queries or fragments.
  if (!isHttpUrl(withScheme) || !/^[\w.:/@%[\]-]+$/.test(withScheme)) return false;
  const url = new URL(withScheme);
  if (url.search !== '' || url.hash !== '' || url.username !== '') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return parseIp(host) !== undefined || isDnsName(host);
}
