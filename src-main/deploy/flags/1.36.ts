import { derive, type FlagChanges, type FlagList } from './common';
import { flags as previous } from './1.35';

/**
 * Kubernetes 1.36 against 1.35, from CHANGELOG/CHANGELOG-1.36.md, v1.36.0 "Changelog since v1.35.0".
 * It removes no flag of these components: the kubelet's deprecated configuration flags were due to go
 * in 1.36 and were kept until 1.37 ("Deferred the removal of deprecated kubelet configuration flags", #136846).
 * `--concurrent-node-status-updates` (#136716) belongs to the cloud controller manager, which Kubesmith does not run.
 */
export const changes: FlagChanges = {
  added: {
    // "Added the `--tls-curve-preferences` flag" (#137115): it lives in SecureServingOptions, so every
    // component built on it gains it — kube-apiserver, kube-controller-manager, kube-scheduler; not the kubelet.
    'kube-apiserver': ['tls-curve-preferences'],
    // Also #137115; and "Added the `--concurrent-resourceclaim-syncs` flag to `kube-controller-manager`" (#134701).
    'kube-controller-manager': ['concurrent-resourceclaim-syncs', 'tls-curve-preferences'],
    'kube-scheduler': ['tls-curve-preferences'],
  },
};

export const flags: FlagList = derive(previous, changes);
