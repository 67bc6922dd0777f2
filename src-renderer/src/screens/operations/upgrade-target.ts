import { KUBERNETES_VERSIONS, kubernetesMinor } from '../../../../src-shared/model/cluster';

export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/** Batch sizes the backend accepts for workers upgraded at once. */
export const BATCH_MIN = 1;
export const BATCH_MAX = 50;

/** The versions an upgrade can aim at, oldest first, as a version select lists them. */
export const UPGRADE_TARGETS: readonly KubernetesVersion[] = [...KUBERNETES_VERSIONS].sort(
  (a, b) => kubernetesMinor(a) - kubernetesMinor(b),
);

/**
 * The target an upgrade form starts on: the minor version after the cluster's, the only minor step Kubernetes allows.
 * On the newest supported version it is the cluster's own, for a newer patch release; the backend says when there is none.
 */
export function defaultUpgradeTarget(current: KubernetesVersion): KubernetesVersion {
  return UPGRADE_TARGETS.find((v) => kubernetesMinor(v) === kubernetesMinor(current) + 1) ?? current;
}

/** Whether Kubesmith knows a newer minor version than `current`. */
export function hasNewerVersion(current: KubernetesVersion): boolean {
  return defaultUpgradeTarget(current) !== current;
}

/** The batch size typed in the form, or undefined unless it is a whole number the backend accepts. */
export function parseBatch(text: string): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n >= BATCH_MIN && n <= BATCH_MAX ? n : undefined;
}
