/** Where everything lives on a host. One place, so the plan, the units and the checks agree. */
export const BIN_DIR = '/usr/local/bin';
export const CNI_BIN_DIR = '/opt/cni/bin';
export const CNI_CONF_DIR = '/etc/cni/net.d';
export const K8S_DIR = '/etc/kubernetes';
export const PKI_DIR = '/etc/kubernetes/pki';
export const ETCD_PKI_DIR = '/etc/kubernetes/pki/etcd';
export const ETCD_DATA_DIR = '/var/lib/etcd';
/**
 * How a member first joins (ETCD_INITIAL_CLUSTER…): etcd reads it only while its data folder is empty, so it sits
 * outside the unit and membership changes never restart the members already running.
 */
export const ETCD_BOOTSTRAP_ENV = '/etc/kubernetes/etcd-bootstrap.env';
export const UNIT_DIR = '/etc/systemd/system';
export const KUBELET_DIR = '/var/lib/kubelet';
export const KUBE_PROXY_DIR = '/var/lib/kube-proxy';
export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';
export const CONTAINERD_SOCKET = 'unix:///run/containerd/containerd.sock';
export const LB_DIR = '/etc/kube-lb';
export const ADDONS_DIR = '/etc/kubernetes/addons';
/** Markers of what a unit last started with: a unit restarts only when its inputs changed. */
export const APPLIED_DIR = '/var/lib/kubesmith/applied';
/** chooseBy answers kept on the host, each with the identity of the file it depends on (engine/kept-answer.ts). */
export const ANSWERS_DIR = '/var/lib/kubesmith/answers';

/**
 * The load balancer listens on 127.0.0.1:6443 on every node and proxies to every apiserver. Apiservers bind to
 * their host address (also :6443), so the same port works on masters too and every kubeconfig on every host
 * says https://127.0.0.1:6443. The apiserver certificate must carry 127.0.0.1 (the PKI adds it).
 */
export const APISERVER_PORT = 6443;
export const LB_ADDRESS = '127.0.0.1';
export const LB_PORT = 6443;
export const LOCAL_API_URL = `https://${LB_ADDRESS}:${LB_PORT}`;

export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;
/** etcd's plain-HTTP metrics and /health listener, on loopback only (kubeadm's EtcdMetricsPort). */
export const ETCD_METRICS_PORT = 2381;
export const KUBELET_PORT = 10250;
export const CONTROLLER_MANAGER_PORT = 10257;
export const SCHEDULER_PORT = 10259;
export const KUBE_PROXY_HEALTH_PORT = 10256;
