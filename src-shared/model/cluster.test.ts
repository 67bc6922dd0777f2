import { describe, expect, it } from 'vitest';
import {
  ClusterSchema,
  ClusterSettingsSchema,
  isUpgradeSourceOnly,
  KUBERNETES_VERSIONS,
  migrateAddons,
  NEW_CLUSTER_VERSIONS,
} from './cluster';

describe('cluster model: versions', () => {
  it('starts new clusters on 1.37 and offers 1.35 to 1.37; 1.34 still loads, as an upgrade source only', () => {
    expect(ClusterSettingsSchema.parse({}).kubernetesVersion).toBe('1.37');
    expect(NEW_CLUSTER_VERSIONS).toEqual(['1.37', '1.36', '1.35']);
    expect(KUBERNETES_VERSIONS.filter(isUpgradeSourceOnly)).toEqual(['1.34']);
    expect(ClusterSettingsSchema.parse({ kubernetesVersion: '1.34' }).kubernetesVersion).toBe('1.34');
    expect(isUpgradeSourceOnly('1.33')).toBe(false);
    expect(ClusterSettingsSchema.safeParse({ kubernetesVersion: '1.33' }).success).toBe(false);
  });
});

describe('cluster model: the Dashboard add-on became Headlamp', () => {
  it('reads a cluster.yaml that says dashboard: true as headlamp: true, and keeps the other add-ons', () => {
    const cluster = ClusterSchema.parse({
      name: 'old',
      settings: { kubernetesVersion: '1.36', addons: { coredns: true, metricsServer: false, dashboard: true } },
    });
    expect(cluster.settings.addons).toEqual({ coredns: true, metricsServer: false, headlamp: true });
    expect(cluster.settings.addons).not.toHaveProperty('dashboard');
  });

  it('reads dashboard: false as headlamp: false, and lets an explicit headlamp win over a stale dashboard key', () => {
    expect(ClusterSettingsSchema.parse({ addons: { dashboard: false } }).addons).toEqual({
      coredns: true,
      metricsServer: true,
      headlamp: false,
    });
    expect(migrateAddons({ dashboard: true, headlamp: false })).toEqual({ headlamp: false });
  });

  it('leaves new files and non-objects alone, and still refuses a dashboard value that is not a yes or no', () => {
    expect(ClusterSettingsSchema.parse({}).addons).toEqual({ coredns: true, metricsServer: true, headlamp: false });
    expect(migrateAddons(undefined)).toBeUndefined();
    expect(migrateAddons({ coredns: false })).toEqual({ coredns: false });
    expect(ClusterSettingsSchema.safeParse({ addons: { dashboard: 'yes please' } }).success).toBe(false);
  });
});

describe('artifactTransfer in cluster.yaml', () => {
  it('an older cluster.yaml without it sends the binaries from this computer, as before; an unknown value is refused', () => {
    const old = ClusterSchema.parse({ name: 'old', settings: { binarySource: { kind: 'mirror', prefix: 'https://m.lab' } } });
    expect(old.settings.artifactTransfer).toBe('fromComputer');
    expect(ClusterSettingsSchema.parse({ artifactTransfer: 'hostsDownload' }).artifactTransfer).toBe('hostsDownload');
    expect(ClusterSettingsSchema.safeParse({ artifactTransfer: 'carrier-pigeon' }).success).toBe(false);
  });
});
