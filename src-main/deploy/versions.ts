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
  headlampImage: string;
  verifyImage: string;
}

/**
 * The parts every line shares (December 2026). The floor is what kubeasz 3.7.0 installs by default (etcd 3.7.1,
 * containerd 2.3.3, runc 1.5.1, CNI plugins 1.9.1, calico 3.32.1, CoreDNS 1.14.6, metrics-server 0.9.0; issue 14).
 * Where the stored release notes show a newer release it is cited beside the pin.
 */
const common = {
  // etcd 3.7: CHANGELOG/CHANGELOG-3.7.md (etcd-io/etcd) "Removed all deprecated experimental flags" (#19959) —
  // the etcd unit uses none. Kubernetes 1.37 itself moved to etcd 3.7 ("Updated the default etcd version to
  // 3.7.0-rc.0", #139427, CHANGELOG-1.37.md); rke2's v1.37.0 build pins etcd v3.7.1.
  etcd: '3.7.1',
  // containerd 2.x keeps the 1.x asset names, containerd-<version>-linux-<arch>.tar.gz with a .sha256sum beside it
  // (containerd/containerd docs/getting-started.md "Step 1: Installing containerd"), so binaries/artifacts.ts holds.
  containerd: '2.3.3',
  runc: '1.5.1',
  cni: '1.9.1',
  // Kubernetes 1.36 moved kubeadm's sandbox image to pause 3.10.2 (issue 14); rke2's builds of 1.34 to 1.37 all
  // pin pauseVersion 3.10.2 (rancher/rke2 release manifests), so one pause serves every line here.
  pauseImage: 'registry.k8s.io/pause:3.10.2',
  // CHANGELOG-1.37.md v1.37.0-alpha.1 "Bump coredns to 1.14.3" (#138536) is kubeadm's pick; kubeasz 3.7.0 has 1.14.6.
  corednsImage: 'registry.k8s.io/coredns/coredns:v1.14.6',
  metricsServerImage: 'registry.k8s.io/metrics-server/metrics-server:v0.9.0',
  // flannel v0.28.10 with flannel-cni-plugin v1.9.1-flannel3: the images flannel's kube-flannel.yml names in its
  // 2026 releases (as deployments of flannel v0.28.9/10 quote them).
  flannelImage: 'ghcr.io/flannel-io/flannel:v0.28.10',
  flannelCniPluginImage: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3',
  calicoNodeImage: 'quay.io/calico/node:v3.32.1',
  calicoCniImage: 'quay.io/calico/cni:v3.32.1',
  calicoKubeControllersImage: 'quay.io/calico/kube-controllers:v3.32.1',
  // Cilium 1.20 (its chart 1.20.2 renders these images for Kubernetes 1.37 clusters).
  ciliumImage: 'quay.io/cilium/cilium:v1.20.2',
  ciliumOperatorImage: 'quay.io/cilium/operator-generic:v1.20.2',
  // Headlamp (kubernetes-sigs/headlamp), the Kubernetes Dashboard's successor; v0.45.0 as minikube's headlamp
  // add-on pins it. The image and its -in-cluster mode: docs/installation/in-cluster/index.md.
  headlampImage: 'ghcr.io/headlamp-k8s/headlamp:v0.45.0',
  verifyImage: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1',
};

/**
 * Each line at the newest patch release found in what can be read here. The stored CHANGELOGs stop early
 * (CHANGELOG-1.35.md at v1.35.4, CHANGELOG-1.36.md at v1.36.0, CHANGELOG-1.37.md at v1.37.0-alpha.1), so later
 * patch releases come from distributions that package each upstream tag unchanged (k3s vX.Y.Z+k3s1 is Kubernetes
 * vX.Y.Z):
 * - kubermatic/kubermatic#16293 (2026-08-20) adds the patch releases v1.36.4, v1.35.8 and v1.34.11;
 * - k3s v1.35.9+k3s1 was published on 2026-09-30, and on 2026-10-10 k3s's newest releases were v1.36.5+k3s1 and
 *   v1.37.1+k3s1, with no v1.36.6 yet (home-lab operations notes quoting k3s's release list).
 * Upstream ships each month's patch releases together, so 1.35.9 / 1.36.5 / 1.37.1 are the September 2026 set.
 * Each binary is still checked against the SHA-256 published beside it (binaries/artifacts.ts), so a pin names a
 * release, never its bytes. A newer patch release is one edit here (and an offline bundle or mirror can bring one
 * without it: Operations → Upgrade).
 */
export const RELEASES: Record<string, ReleaseSet> = {
  // Past end of life: kept so clusters on it still redeploy and upgrade to 1.35 (see NEW_CLUSTER_VERSIONS).
  '1.34': { ...common, kubernetes: '1.34.11' },
  '1.35': { ...common, kubernetes: '1.35.9' },
  '1.36': { ...common, kubernetes: '1.36.5' },
  '1.37': { ...common, kubernetes: '1.37.1' },
};
