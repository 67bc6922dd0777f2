import { derive, type FlagChanges, type FlagList } from './common';
import { flags as previous } from './1.36';

/**
 * Kubernetes 1.37 against 1.36, from CHANGELOG/CHANGELOG-1.37.md, "Changelog since v1.36.0" (the stored file holds
 * v1.37.0-alpha.1, the release that carries the 1.37 cycle's flag changes so far; CHANGELOG-1.38.md's "Changelog
 * since v1.37.0" confirms 1.37.0 itself). Read there and not a flag change of these components, so not listed:
 * - "Kubelet: defer the configurations flags ... deprecation removal timeline from 1.37 to 1.38" (#139121): the
 *   kubelet keeps its deprecated configuration flags for another release;
 * - "Add new KubeProxyIPVS feature gate" (#139397): a gate, not a flag (ipvs is refused for 1.37 by the topology check);
 * - "Kube-apiserver enable-logs-handler ... is no-longer marked deprecated" (#138915): the flag stays;
 * - the locked feature gates removed (#138907, #139217, #137755, #135336) change `--feature-gates` values, not flags;
 * - `kubectl run --filename` (#138671) is kubectl's.
 */
export const changes: FlagChanges = {
  removed: {
    // Other (Cleanup or Flake): "Removed the `--concurrent-service-syncs` kube-controller-manager flag (no-op since v1.31)" (#138002).
    'kube-controller-manager': ['concurrent-service-syncs'],
  },
};

export const flags: FlagList = derive(previous, changes);
