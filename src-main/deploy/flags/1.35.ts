import { derive, type FlagChanges, type FlagList } from './common';
import { flags as previous } from './1.34';

/**
 * Kubernetes 1.35 against 1.34, from CHANGELOG/CHANGELOG-1.35.md, v1.35.0 "Changelog since v1.34.0"
 * (Urgent Upgrade Notes, Deprecation, API Change, Feature, Other). Nothing else there adds or removes a
 * flag of these components. Not a flag change, so not listed: kube-proxy's `ipvs` mode is deprecated (#134539).
 */
export const changes: FlagChanges = {
  added: {
    // API Change: "Added the `--min-compatibility-version` flag to kube-apiserver, kube-controller-manager, and kube-scheduler" (#133980).
    'kube-apiserver': ['min-compatibility-version'],
    'kube-controller-manager': ['min-compatibility-version'],
    'kube-scheduler': ['min-compatibility-version'],
  },
  removed: {
    // Urgent Upgrade Notes: "Removed the `--pod-infra-container-image` flag from `kubelet` command line" (#133779).
    kubelet: ['pod-infra-container-image'],
  },
};

export const flags: FlagList = derive(previous, changes);
