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
  calicoNodeImage: string;
  calicoCniImage: string;
  calicoKubeControllersImage: string;
  ciliumImage: string;
  ciliumOperatorImage: string;
  dashboardImage: string;
  dashboardMetricsScraperImage: string;
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
  calicoNodeImage: 'quay.io/calico/node:v3.31.3',
  calicoCniImage: 'quay.io/calico/cni:v3.31.3',
  calicoKubeControllersImage: 'quay.io/calico/kube-controllers:v3.31.3',
  ciliumImage: 'quay.io/cilium/cilium:v1.18.5',
  ciliumOperatorImage: 'quay.io/cilium/operator-generic:v1.18.5',
  // v2.7.0 is the dashboard's last release with a plain manifest; v3 onwards ships only as a Helm chart.
  dashboardImage: 'docker.io/kubernetesui/dashboard:v2.7.0',
  dashboardMetricsScraperImage: 'docker.io/kubernetesui/metrics-scraper:v1.0.8',
  verifyImage: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1',
};

export const RELEASES: Record<string, ReleaseSet> = {
  '1.34': { ...common, kubernetes: '1.34.2' },
  '1.35': { ...common, kubernetes: '1.35.0' },
  '1.36': { ...common, kubernetes: '1.36.0' },
};
