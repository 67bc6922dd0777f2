/**
 * What each supported Kubernetes line installs. Patch versions are pinned so a plan is repeatable;
 * the binaries are checked against the SHA-256 their project publishes next to them.
 */
export interface ReleaseSet {
  kubernetes: string;
  etcd: string;
  containerd: string;
  runc: string;
  cni: string;
  pauseImage: string;
  corednsImage: string;
  metricsServerImage: string;
  flannelImage: string;
  flannelCniPluginImage: string;
  dashboardImage: string;
  verifyImage: string;
}

const common = {
  etcd: '3.6.5',
  containerd: '2.1.4',
  runc: '1.3.2',
  cni: '1.8.0',
  pauseImage: 'registry.k8s.io/pause:3.10.1',
  corednsImage: 'registry.k8s.io/coredns/coredns:v1.12.4',
  metricsServerImage: 'registry.k8s.io/metrics-server/metrics-server:v0.8.0',
  flannelImage: 'ghcr.io/flannel-io/flannel:v0.27.4',
  flannelCniPluginImage: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.8.0-flannel1',
  dashboardImage: 'docker.io/kubernetesui/dashboard:v2.7.0',
  verifyImage: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1',
};

export const RELEASES: Record<string, ReleaseSet> = {
  '1.34': { ...common, kubernetes: '1.34.2' },
  '1.35': { ...common, kubernetes: '1.35.0' },
  '1.36': { ...common, kubernetes: '1.36.0' },
};
