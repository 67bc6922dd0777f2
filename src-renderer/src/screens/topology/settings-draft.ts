import {
  isUpgradeSourceOnly,
  MIRRORED_REGISTRIES,
  NEW_CLUSTER_VERSIONS,
  type ClusterSettings,
  type MirroredRegistry,
} from '../../../../src-shared/model/cluster';

/**
 * The versions the form lists: those offered for new clusters, plus the cluster's own when it is kept only as an
 * upgrade source (1.34), so a cluster already on it shows its version, and leaving it is one way.
 */
export function versionOptions(current: ClusterSettings['kubernetesVersion']): Array<ClusterSettings['kubernetesVersion']> {
  return isUpgradeSourceOnly(current) ? [...NEW_CLUSTER_VERSIONS, current] : [...NEW_CLUSTER_VERSIONS];
}

/** The settings form as typed: lists and optional values as text, so half-typed input is kept as is. */
export interface SettingsDraft {
  kubernetesVersion: ClusterSettings['kubernetesVersion'];
  podCidr: string;
  serviceCidr: string;
  clusterDomain: string;
  proxyMode: ClusterSettings['proxyMode'];
  cni: ClusterSettings['cni'];
  coredns: boolean;
  metricsServer: boolean;
  headlamp: boolean;
  extraSans: string;
  binaryKind: ClusterSettings['binarySource']['kind'];
  mirrorPrefix: string;
  offlineFolder: string;
  artifactTransfer: ClusterSettings['artifactTransfer'];
  /** One mirror per registry, as typed. */
  registryMirrors: Record<MirroredRegistry, string>;
}

export function draftFromSettings(s: ClusterSettings): SettingsDraft {
  return {
    kubernetesVersion: s.kubernetesVersion,
    podCidr: s.podCidr,
    serviceCidr: s.serviceCidr,
    clusterDomain: s.clusterDomain,
    proxyMode: s.proxyMode,
    cni: s.cni,
    coredns: s.addons.coredns,
    metricsServer: s.addons.metricsServer,
    headlamp: s.addons.headlamp,
    extraSans: s.extraSans.join('\n'),
    binaryKind: s.binarySource.kind,
    mirrorPrefix: s.binarySource.kind === 'mirror' ? s.binarySource.prefix : '',
    offlineFolder: s.binarySource.kind === 'offline' ? s.binarySource.folder : '',
    artifactTransfer: s.artifactTransfer,
    registryMirrors: Object.fromEntries(MIRRORED_REGISTRIES.map((r) => [r, s.registryMirrors[r] ?? ''])) as Record<
      MirroredRegistry,
      string
    >,
  };
}

export function settingsFromDraft(d: SettingsDraft): ClusterSettings {
  const binarySource: ClusterSettings['binarySource'] =
    d.binaryKind === 'mirror'
      ? { kind: 'mirror', prefix: d.mirrorPrefix.trim() }
      : d.binaryKind === 'offline'
        ? { kind: 'offline', folder: d.offlineFolder.trim() }
        : { kind: 'official' };
  const registryMirrors = Object.fromEntries(
    MIRRORED_REGISTRIES.map((r) => [r, d.registryMirrors[r].trim()]).filter(([, v]) => v !== ''),
  ) as ClusterSettings['registryMirrors'];
  return {
    kubernetesVersion: d.kubernetesVersion,
    podCidr: d.podCidr.trim(),
    serviceCidr: d.serviceCidr.trim(),
    clusterDomain: d.clusterDomain.trim(),
    proxyMode: d.proxyMode,
    cni: d.cni,
    addons: { coredns: d.coredns, metricsServer: d.metricsServer, headlamp: d.headlamp },
    extraSans: d.extraSans
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    binarySource,
    artifactTransfer: d.artifactTransfer,
    registryMirrors,
  };
}
