import { z } from 'zod';

export const ROLES = ['etcd', 'master', 'node'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** How Kubesmith logs in. Passwords and passphrases never live here: they sit in the secret store, keyed by host id. */
export const HostAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('key'), keyPath: z.string().min(1), hasPassphrase: z.boolean().default(false) }),
  z.object({ kind: z.literal('agent') }),
  z.object({ kind: z.literal('password') }),
]);
export type HostAuth = z.infer<typeof HostAuthSchema>;

export const SudoModeSchema = z.enum(['none', 'passwordless', 'password']);
export type SudoMode = z.infer<typeof SudoModeSchema>;

export const JumpSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host'), hostId: z.string().min(1) }),
  /** user@host:port, as in OpenSSH's ProxyJump. */
  z.object({ kind: z.literal('spec'), spec: z.string().min(1) }),
]);
export type Jump = z.infer<typeof JumpSchema>;

export const ProbeResultSchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  error: z
    .object({
      name: z.string(),
      message: z.string(),
      hint: z.string().optional(),
      /** Only what the user needs to act, e.g. the new fingerprint of a changed host key. */
      newFingerprint: z.string().optional(),
    })
    .optional(),
  hostname: z.string().optional(),
  os: z.object({ id: z.string(), version: z.string(), pretty: z.string() }).optional(),
  arch: z.string().optional(),
  cpus: z.number().optional(),
  memoryBytes: z.number().optional(),
  diskFreeBytes: z.number().optional(),
  kernel: z.string().optional(),
  cgroupV2: z.boolean().optional(),
  swapBytes: z.number().optional(),
  timeOffsetMs: z.number().optional(),
  /** timeOffsetMs is exact to within this many milliseconds (half the quickest clock reading's round trip). */
  timeOffsetErrorMs: z.number().nonnegative().optional(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

export const HostSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  address: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1).default('root'),
  auth: HostAuthSchema.default({ kind: 'agent' }),
  sudo: SudoModeSchema.default('none'),
  jump: JumpSchema.optional(),
  roles: z.array(RoleSchema).default([]),
  probe: ProbeResultSchema.optional(),
});
export type Host = z.infer<typeof HostSchema>;

/**
 * Every Kubernetes minor version a cluster.yaml may name, newest first. 1.34 is past end of life (its last
 * patch release was due in October 2026): clusters already on it still load, redeploy and upgrade to 1.35,
 * but it is not offered for new clusters (NEW_CLUSTER_VERSIONS).
 */
export const KUBERNETES_VERSIONS = ['1.37', '1.36', '1.35', '1.34'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/** The versions a new cluster (or a cluster never deployed) can pick, newest first. */
export const NEW_CLUSTER_VERSIONS = ['1.37', '1.36', '1.35'] as const satisfies readonly KubernetesVersion[];

/** Whether a version is only kept so existing clusters can load and upgrade off it. */
export function isUpgradeSourceOnly(version: string): boolean {
  return (KUBERNETES_VERSIONS as readonly string[]).includes(version) && !(NEW_CLUSTER_VERSIONS as readonly string[]).includes(version);
}

/** The minor number of a Kubernetes version or release (36 for 1.36 and 1.36.2). */
export function kubernetesMinor(version: string): number {
  return Number(version.split('.')[1]);
}
export const ProxyModeSchema = z.enum(['nftables', 'iptables', 'ipvs']);
export const CniSchema = z.enum(['calico', 'flannel', 'cilium']);

export const BinarySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('official') }),
  z.object({ kind: z.literal('mirror'), prefix: z.string().min(1) }),
  z.object({ kind: z.literal('offline'), folder: z.string().min(1) }),
]);

export const ArtifactTransferSchema = z.enum(['fromComputer', 'hostsDownload']);
export type ArtifactTransfer = z.infer<typeof ArtifactTransferSchema>;

/**
 * cluster.yaml files written before the Kubernetes Dashboard (archived January 2026) gave way to Headlamp say
 * `dashboard: true|false`: the wish for a web UI carries over to `headlamp`; an explicit `headlamp` wins.
 */
export function migrateAddons(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('dashboard' in value)) return value;
  const { dashboard, ...rest } = value as Record<string, unknown>;
  return 'headlamp' in rest ? rest : { ...rest, headlamp: dashboard };
}

/** Registries the cluster's images come from; each may have its own mirror (containerd hosts.toml). */
export const MIRRORED_REGISTRIES = ['docker.io', 'registry.k8s.io', 'quay.io', 'ghcr.io'] as const;
export type MirroredRegistry = (typeof MIRRORED_REGISTRIES)[number];
/** registry → mirror (host[:port][/path], with or without http(s)://). */
export const RegistryMirrorsSchema = z.object({
  'docker.io': z.string().optional(),
  'registry.k8s.io': z.string().optional(),
  'quay.io': z.string().optional(),
  'ghcr.io': z.string().optional(),
});
export type RegistryMirrors = z.infer<typeof RegistryMirrorsSchema>;

export const ClusterSettingsSchema = z.object({
  kubernetesVersion: z.enum(KUBERNETES_VERSIONS).default(NEW_CLUSTER_VERSIONS[0]),
  podCidr: z.string().default('10.244.0.0/16'),
  serviceCidr: z.string().default('10.96.0.0/12'),
  clusterDomain: z.string().default('cluster.local'),
  proxyMode: ProxyModeSchema.default('nftables'),
  cni: CniSchema.default('calico'),
  addons: z
    .preprocess(
      migrateAddons,
      z.object({
        coredns: z.boolean().default(true),
        metricsServer: z.boolean().default(true),
        headlamp: z.boolean().default(false),
      }),
    )
    .default({ coredns: true, metricsServer: true, headlamp: false }),
  extraSans: z.array(z.string()).default([]),
  binarySource: BinarySourceSchema.default({ kind: 'official' }),
  /**
   * How the binaries reach the hosts: from this computer (over a relay host or uploaded directly), or each host
   * downloads them itself from the binary source (official or mirror; never an offline bundle), checked against the
   * same SHA-256 values. cluster.yaml written before the setting has today's behaviour: from this computer.
   */
  artifactTransfer: ArtifactTransferSchema.default('fromComputer'),
  registryMirrors: RegistryMirrorsSchema.default({}),
});
export type ClusterSettings = z.infer<typeof ClusterSettingsSchema>;

/** cluster.yaml before per-registry mirrors had one `registryMirror`, for docker.io only: it becomes that one's. */
function migrateSettings(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('registryMirror' in input)) return input;
  const { registryMirror, ...rest } = input as { registryMirror?: unknown; registryMirrors?: Record<string, unknown> };
  if (typeof registryMirror !== 'string' || registryMirror.trim() === '' || rest.registryMirrors?.['docker.io'] !== undefined) return rest;
  return { ...rest, registryMirrors: { ...rest.registryMirrors, 'docker.io': registryMirror } };
}

export const CLUSTER_API_VERSION = 'kubesmith.io/v1alpha1';

/** What cluster.yaml holds. */
export const ClusterSchema = z.object({
  apiVersion: z.literal(CLUSTER_API_VERSION).default(CLUSTER_API_VERSION),
  kind: z.literal('Cluster').default('Cluster'),
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and dashes, 1 to 63 characters'),
  /**
   * Counts the writes of this cluster.yaml. A whole-cluster save names the revision it was based on and is refused
   * when another write came in between, so no change answered with ok is silently lost.
   */
  revision: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  hosts: z.array(HostSchema).default([]),
  settings: z.preprocess(migrateSettings, ClusterSettingsSchema.default(ClusterSettingsSchema.parse({}))),
});
export type Cluster = z.infer<typeof ClusterSchema>;

export function hostsWithRole(cluster: Pick<Cluster, 'hosts'>, role: Role): Host[] {
  return cluster.hosts.filter((h) => h.roles.includes(role));
}
