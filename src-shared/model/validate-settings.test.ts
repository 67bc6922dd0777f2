import { describe, expect, it } from 'vitest';
import { ClusterSettingsSchema, type ClusterSettings, type Host } from './cluster';
import { validateSettings } from './validate-settings';

const defaults = ClusterSettingsSchema.parse({});
const settings = (over: Partial<ClusterSettings>): ClusterSettings => ({ ...defaults, ...over });
const codes = (s: ClusterSettings, hosts: Pick<Host, 'name' | 'address' | 'roles'>[] = []) =>
  validateSettings(s, hosts).map((p) => `${p.field}:${p.code}`);

describe('validateSettings', () => {
  it('accepts the defaults, IPv6 and dual-stack', () => {
    expect(validateSettings(defaults)).toEqual([]);
    expect(codes(settings({ podCidr: 'fd00:10:244::/56', serviceCidr: 'fd00:10:96::/112' }))).toEqual([]);
    expect(codes(settings({ podCidr: '10.244.0.0/16,fd00:10:244::/56', serviceCidr: '10.96.0.0/12, fd00:10:96::/112' }))).toEqual([]);
  });

  it('rejects malformed CIDRs with the reason, and suggests the network for host bits', () => {
    expect(codes(settings({ podCidr: '10.244.0.0' }))).toEqual(['podCidr:cidrSyntax']);
    expect(codes(settings({ podCidr: '' }))).toEqual(['podCidr:cidrEmpty']);
    expect(codes(settings({ serviceCidr: '10.96.0.0/40' }))).toEqual(['serviceCidr:cidrPrefix']);
    expect(validateSettings(settings({ serviceCidr: '10.96.0.1/12' }))).toEqual([
      { field: 'serviceCidr', code: 'cidrHostBits', params: { value: '10.96.0.1/12', suggestion: '10.96.0.0/12' } },
    ]);
    expect(codes(settings({ podCidr: '10.244.0.0/16,10.245.0.0/16' }))).toEqual(['podCidr:cidrDualStack']);
  });

  it('rejects overlapping pod and service networks, IPv4 and IPv6', () => {
    expect(validateSettings(settings({ podCidr: '10.0.0.0/8', serviceCidr: '10.96.0.0/12' }))).toContainEqual({
      field: 'serviceCidr',
      code: 'cidrOverlap',
      params: { pod: '10.0.0.0/8', service: '10.96.0.0/12' },
    });
    expect(codes(settings({ podCidr: 'fd00:10::/48', serviceCidr: 'fd00:10::/112' }))).toContain('serviceCidr:cidrOverlap');
  });

  it('rejects a pod or service network that contains a host address', () => {
    const hosts = [{ name: 'etcd-1', address: '192.168.50.20', roles: ['etcd' as const] }];
    expect(validateSettings(settings({ serviceCidr: '192.168.0.0/16' }), hosts)).toContainEqual({
      field: 'serviceCidr',
      code: 'containsHost',
      params: { value: '192.168.0.0/16', host: 'etcd-1', address: '192.168.50.20' },
    });
    expect(codes(settings({ podCidr: '192.168.0.0/16' }), hosts)).toContain('podCidr:containsHost');
    expect(codes(defaults, [{ name: 'dns', address: 'nas.lab', roles: [] }])).toEqual([]);
  });

  it('checks the sizes Kubernetes itself insists on', () => {
    expect(codes(settings({ serviceCidr: '10.0.0.0/8', podCidr: '172.16.0.0/16' }))).toEqual(['serviceCidr:serviceTooLarge']);
    expect(codes(settings({ serviceCidr: 'fd00:10:96::/64', podCidr: 'fd00:10:244::/56' }))).toEqual(['serviceCidr:serviceTooLarge']);
    expect(codes(settings({ serviceCidr: '10.96.0.0/30' }))).toEqual(['serviceCidr:serviceTooSmall']);
    expect(codes(settings({ podCidr: '10.244.0.0/25' }))).toEqual(['podCidr:podTooSmall']);
    expect(codes(settings({ podCidr: '10.0.0.0/7', serviceCidr: '172.16.0.0/16' }))).toEqual(['podCidr:podTooLarge']);
    const workers = Array.from({ length: 5 }, (_, i) => ({ name: `w${i}`, address: `192.168.1.${i + 1}`, roles: ['node' as const] }));
    expect(validateSettings(settings({ podCidr: '10.244.0.0/22' }), workers)).toEqual([
      { field: 'podCidr', code: 'podTooFewNodes', params: { value: '10.244.0.0/22', max: 4, count: 5 } },
    ]);
  });

  it('rejects mismatched families between pod and service networks', () => {
    expect(codes(settings({ podCidr: 'fd00:10:244::/56' }))).toEqual(['serviceCidr:cidrFamilies']);
  });

  it('checks the cluster domain, SANs, binary source and registry mirror', () => {
    expect(codes(settings({ clusterDomain: 'cluster_local' }))).toEqual(['clusterDomain:domainInvalid']);
    expect(codes(settings({ clusterDomain: 'cluster.local.' }))).toEqual(['clusterDomain:domainInvalid']);
    expect(
      validateSettings(settings({ extraSans: ['api.home.lab', '192.168.50.100', '*.apps.lab', 'fd00::100', 'bad host', 'API.home.lab'] })),
    ).toEqual([
      { field: 'extraSans', code: 'sanInvalid', params: { value: 'bad host', index: 5 } },
      { field: 'extraSans', code: 'sanDuplicate', params: { value: 'API.home.lab' } },
    ]);
    expect(codes(settings({ binarySource: { kind: 'mirror', prefix: 'ftp://mirror' } }))).toEqual(['binarySource:mirrorUrl']);
    expect(codes(settings({ binarySource: { kind: 'mirror', prefix: 'https://mirror.lab/k8s' } }))).toEqual([]);
    expect(codes(settings({ binarySource: { kind: 'offline', folder: 'bundles/k8s' } }))).toEqual(['binarySource:offlineFolder']);
    expect(codes(settings({ binarySource: { kind: 'offline', folder: '/srv/k8s-bundle' } }))).toEqual([]);
    // Hosts download only from a source they can reach: the official site or a mirror, never this computer's bundle folder.
    const offline = { kind: 'offline', folder: '/srv/k8s-bundle' } as const;
    expect(codes(settings({ binarySource: offline, artifactTransfer: 'hostsDownload' }))).toEqual([
      'artifactTransfer:hostsDownloadOffline',
    ]);
    expect(
      codes(settings({ binarySource: { kind: 'mirror', prefix: 'https://mirror.lab/k8s' }, artifactTransfer: 'hostsDownload' })),
    ).toEqual([]);
    expect(codes(settings({ artifactTransfer: 'hostsDownload' }))).toEqual([]);
    expect(codes(settings({ registryMirrors: { 'docker.io': 'registry.lab:5000/mirror' } }))).toEqual([]);
    expect(codes(settings({ registryMirrors: { 'quay.io': 'https://[fd00::5]:5000' } }))).toEqual([]);
    expect(codes(settings({ registryMirrors: { 'docker.io': 'not a registry' } }))).toEqual(['registryMirrors.docker.io:registryInvalid']);
    expect(codes(settings({ registryMirrors: { 'ghcr.io': 'mirror.lab/a"b' } }))).toEqual(['registryMirrors.ghcr.io:registryInvalid']);
    expect(codes(settings({ registryMirrors: { 'registry.k8s.io': 'https://mirror.lab/?x=1' } }))).toEqual([
      'registryMirrors.registry.k8s.io:registryInvalid',
    ]);
  });
});
