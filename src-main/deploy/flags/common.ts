/**
 * Flags of the Kubernetes 1.34 release line, per component, as `--help` lists them (only the ones a
 * binary install can use; client-go logging and generic flags included). Later versions derive from
 * this list by naming what they add and what they removed, so every change between versions is visible.
 */
export const FLAGS_1_34 = {
  'kube-apiserver': [
    'admission-control-config-file',
    'advertise-address',
    'allow-privileged',
    'anonymous-auth',
    'api-audiences',
    'audit-log-maxage',
    'audit-log-maxbackup',
    'audit-log-maxsize',
    'audit-log-path',
    'audit-policy-file',
    'authentication-config',
    'authorization-config',
    'authorization-mode',
    'bind-address',
    'client-ca-file',
    'cors-allowed-origins',
    'disable-admission-plugins',
    'enable-admission-plugins',
    'enable-aggregator-routing',
    'enable-bootstrap-token-auth',
    'encryption-provider-config',
    'endpoint-reconciler-type',
    'etcd-cafile',
    'etcd-certfile',
    'etcd-keyfile',
    'etcd-prefix',
    'etcd-servers',
    'event-ttl',
    'feature-gates',
    'kubelet-certificate-authority',
    'kubelet-client-certificate',
    'kubelet-client-key',
    'kubelet-preferred-address-types',
    'kubelet-timeout',
    'max-mutating-requests-inflight',
    'max-requests-inflight',
    'profiling',
    'proxy-client-cert-file',
    'proxy-client-key-file',
    'requestheader-allowed-names',
    'requestheader-client-ca-file',
    'requestheader-extra-headers-prefix',
    'requestheader-group-headers',
    'requestheader-uid-headers',
    'requestheader-username-headers',
    'runtime-config',
    'secure-port',
    'service-account-issuer',
    'service-account-jwks-uri',
    'service-account-key-file',
    'service-account-lookup',
    'service-account-max-token-expiration',
    'service-account-signing-key-file',
    'service-cluster-ip-range',
    'service-node-port-range',
    'storage-backend',
    'tls-cert-file',
    'tls-cipher-suites',
    'tls-min-version',
    'tls-private-key-file',
    'token-auth-file',
    'v',
  ],
  'kube-controller-manager': [
    'allocate-node-cidrs',
    'authentication-kubeconfig',
    'authorization-kubeconfig',
    'bind-address',
    'client-ca-file',
    'cluster-cidr',
    'cluster-name',
    'cluster-signing-cert-file',
    'cluster-signing-duration',
    'cluster-signing-key-file',
    'concurrent-deployment-syncs',
    // A no-op since 1.31 (the service controller moved to the cloud controller manager) but still accepted; 1.37 removed it.
    'concurrent-service-syncs',
    'controllers',
    'feature-gates',
    'kubeconfig',
    'leader-elect',
    'leader-elect-lease-duration',
    'leader-elect-renew-deadline',
    'node-cidr-mask-size',
    'node-cidr-mask-size-ipv4',
    'node-cidr-mask-size-ipv6',
    'node-monitor-grace-period',
    'profiling',
    'requestheader-client-ca-file',
    'root-ca-file',
    'secure-port',
    'service-account-private-key-file',
    'service-cluster-ip-range',
    'terminated-pod-gc-threshold',
    'tls-cert-file',
    'tls-private-key-file',
    'use-service-account-credentials',
    'v',
  ],
  'kube-scheduler': [
    'authentication-kubeconfig',
    'authorization-kubeconfig',
    'bind-address',
    'config',
    'feature-gates',
    'kubeconfig',
    'leader-elect',
    'leader-elect-lease-duration',
    'leader-elect-renew-deadline',
    'profiling',
    'secure-port',
    'tls-cert-file',
    'tls-private-key-file',
    'v',
  ],
  kubelet: [
    'bootstrap-kubeconfig',
    'cert-dir',
    'config',
    'config-dir',
    'hostname-override',
    'kubeconfig',
    'node-ip',
    'node-labels',
    // Deprecated and ignored since CRI took over the sandbox image, but 1.34 still accepts it; 1.35 removed it.
    'pod-infra-container-image',
    'root-dir',
    'v',
  ],
  'kube-proxy': ['bind-address', 'cluster-cidr', 'config', 'hostname-override', 'kubeconfig', 'proxy-mode', 'v'],
} as const satisfies Record<string, readonly string[]>;

export type FlagComponent = keyof typeof FLAGS_1_34;
export const FLAG_COMPONENTS = Object.keys(FLAGS_1_34) as FlagComponent[];
export type FlagList = Record<FlagComponent, readonly string[]>;

/** What a release changed against the one before it; each entry cites the changelog item that says so. */
export interface FlagChanges {
  added?: Partial<FlagList>;
  removed?: Partial<FlagList>;
}

/**
 * A version's list: the previous one, plus what it added, minus what it removed. A change that does not
 * fit the previous list (removing a flag it lacks, adding one it has) is refused: the diff must be a fact.
 */
export function derive(base: FlagList, changes: FlagChanges): FlagList {
  const out = {} as Record<FlagComponent, readonly string[]>;
  for (const c of FLAG_COMPONENTS) {
    const had = new Set(base[c]);
    const added = changes.added?.[c] ?? [];
    const removed = changes.removed?.[c] ?? [];
    const stale = [...removed.filter((f) => !had.has(f)), ...added.filter((f) => had.has(f))];
    if (stale.length > 0) throw new Error(`${c}: ${stale.map((f) => `--${f}`).join(', ')} does not fit the previous list`);
    const gone = new Set(removed);
    out[c] = [...base[c].filter((f) => !gone.has(f)), ...added].sort();
  }
  return out;
}
