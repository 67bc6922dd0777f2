import type { LabHost } from '../lab/lab';
import { labSsh } from '../lab/ssh';

/**
 * Puts lab hosts back to before any deploy (test-only): stops what the deploy started and removes what it
 * wrote, so a test sees a first deploy again without rebuilding the lab.
 */
export async function resetDeployedHosts(hosts: LabHost[]): Promise<void> {
  const script = [
    'systemctl stop kubelet kube-proxy kube-scheduler kube-controller-manager kube-apiserver kube-lb containerd etcd 2>/dev/null',
    'systemctl disable kubelet kube-proxy kube-scheduler kube-controller-manager kube-apiserver kube-lb containerd etcd 2>/dev/null',
    'rm -f /etc/systemd/system/{kubelet,kube-proxy,kube-scheduler,kube-controller-manager,kube-apiserver,kube-lb,containerd,etcd}.service',
    'systemctl daemon-reload',
    'rm -rf /etc/kubernetes /var/lib/etcd /var/lib/kubelet /var/lib/kube-proxy /var/lib/kubesmith /var/cache/kubesmith /etc/kube-lb /etc/containerd /opt/cni /run/kubesmith-standin',
    'rm -f /usr/local/bin/* /etc/modules-load.d/kubesmith.conf /etc/sysctl.d/90-kubesmith.conf',
    "sed -i '/^# BEGIN kubesmith$/,/^# END kubesmith$/d' /etc/hosts",
    'true',
  ].join('; ');
  await Promise.all(hosts.map((h) => labSsh(h.address, `bash -c '${script.replace(/'/g, `'\\''`)}'`)));
}
