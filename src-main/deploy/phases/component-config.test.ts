import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KUBERNETES_VERSIONS, ProxyModeSchema } from '../../../src-shared/model/cluster';
import { planContext } from '../context';
import { fileTemplates } from '../templates';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';
import { renderKubeletConfig, renderKubeProxyConfig } from './nodes';

/**
 * A field list per config type: the type's fields as the Kubernetes reference names them, and for a field that
 * holds a struct, that struct's fields. Kubelet: kubernetes/website content/en/docs/reference/config-api/
 * kubelet-config.v1beta1.md (KubeletConfiguration, KubeletAuthentication, KubeletAnonymousAuthentication,
 * KubeletWebhookAuthentication, KubeletX509Authentication, KubeletAuthorization). kube-proxy: the same folder's
 * kube-proxy-config.v1alpha1.md (KubeProxyConfiguration, ClientConnectionConfiguration). The fields Kubesmith
 * sets are unchanged in v1beta1 / v1alpha1 from 1.34 to 1.37 (no CHANGELOG-1.35/1.36/1.37 entry removes one).
 */
type Fields = { [field: string]: Fields | true };

const KUBELET: Fields = {
  apiVersion: true,
  kind: true,
  enableServer: true,
  staticPodPath: true,
  podLogsDir: true,
  syncFrequency: true,
  address: true,
  port: true,
  readOnlyPort: true,
  tlsCertFile: true,
  tlsPrivateKeyFile: true,
  tlsCipherSuites: true,
  tlsMinVersion: true,
  rotateCertificates: true,
  serverTLSBootstrap: true,
  authentication: {
    x509: { clientCAFile: true },
    webhook: { enabled: true, cacheTTL: true },
    anonymous: { enabled: true },
  },
  authorization: { mode: true, webhook: { cacheAuthorizedTTL: true, cacheUnauthorizedTTL: true } },
  registryPullQPS: true,
  registryBurst: true,
  eventRecordQPS: true,
  eventBurst: true,
  healthzPort: true,
  healthzBindAddress: true,
  clusterDomain: true,
  clusterDNS: true,
  cgroupDriver: true,
  cgroupsPerQOS: true,
  resolvConf: true,
  maxPods: true,
  failSwapOn: true,
  protectKernelDefaults: true,
  containerRuntimeEndpoint: true,
  featureGates: true,
  serializeImagePulls: true,
  shutdownGracePeriod: true,
  shutdownGracePeriodCriticalPods: true,
  evictionHard: true,
  systemReserved: true,
  kubeReserved: true,
};

const KUBE_PROXY: Fields = {
  apiVersion: true,
  kind: true,
  featureGates: true,
  clientConnection: { kubeconfig: true, acceptContentTypes: true, contentType: true, qps: true, burst: true },
  hostnameOverride: true,
  bindAddress: true,
  healthzBindAddress: true,
  metricsBindAddress: true,
  bindAddressHardFail: true,
  enableProfiling: true,
  showHiddenMetricsForVersion: true,
  mode: true,
  iptables: true,
  ipvs: true,
  nftables: true,
  winkernel: true,
  detectLocalMode: true,
  detectLocal: true,
  clusterCIDR: true,
  nodePortAddresses: true,
  oomScoreAdj: true,
  conntrack: true,
  configSyncPeriod: true,
  portRange: true,
  logging: true,
};

/** Paths of every field in `value` that `fields` does not know, as a.b.c. */
function unknownFields(value: unknown, fields: Fields, at = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const known = fields[key];
    if (!known) return [`${at}${key}`];
    return known === true ? [] : unknownFields(v, known, `${at}${key}.`);
  });
}

const templates = fileTemplates();

describe('component configs against their config API field lists', () => {
  for (const version of KUBERNETES_VERSIONS) {
    // ipvs is refused from 1.37 on (issue 14: the KubeProxyIPVS gate on the way to its removal).
    for (const proxyMode of ProxyModeSchema.options.filter((m) => !(m === 'ipvs' && version === '1.37'))) {
      it(`${version}, ${proxyMode}: the kubelet and kube-proxy configs use only fields their config API has`, () => {
        const ctx = planContext({
          cluster: labCluster(6, { kubernetesVersion: version, proxyMode }),
          pki: fakePki(),
          binaries: fakeBinaries(),
          templates,
        });
        const kubelet = parse(renderKubeletConfig(ctx)) as Record<string, unknown>;
        expect(kubelet).toMatchObject({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' });
        expect(unknownFields(kubelet, KUBELET)).toEqual([]);
        for (const host of ctx.kubeletHosts) {
          const proxy = parse(renderKubeProxyConfig(ctx, host)) as Record<string, unknown>;
          expect(proxy).toMatchObject({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: proxyMode });
          expect(unknownFields(proxy, KUBE_PROXY)).toEqual([]);
        }
      });
    }
  }

  it('names a misspelt or misplaced field by its path', () => {
    expect(
      unknownFields({ cgroupDriver: 'systemd', cgroupDrivers: 'x', authentication: { x509: { clientCaFile: 'ca' } } }, KUBELET),
    ).toEqual(['cgroupDrivers', 'authentication.x509.clientCaFile']);
    expect(unknownFields({ clusterCidr: '10.0.0.0/8' }, KUBE_PROXY)).toEqual(['clusterCidr']);
  });
});
