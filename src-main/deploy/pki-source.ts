/** A certificate and its key, PEM. */
export interface CertPair {
  cert: string;
  key: string;
}

/**
 * The cluster PKI as the deploy needs it. The PKI module makes these on the desktop; the deploy
 * only decides where each one goes on which host.
 */
export interface ClusterPki {
  /** Certificates of the three CAs (PEM). */
  ca: { kubernetes: string; etcd: string; frontProxy: string };
  /** The Kubernetes CA key: the controller-manager signs kubelet CSRs with it. */
  kubernetesCaKey: string;
  serviceAccount: { key: string; pub: string };
  apiserver(hostId: string): CertPair;
  apiserverKubeletClient: CertPair;
  apiserverEtcdClient: CertPair;
  frontProxyClient: CertPair;
  etcdServer(hostId: string): CertPair;
  etcdPeer(hostId: string): CertPair;
  etcdHealthcheckClient: CertPair;
  /** Client certificates the kubeconfigs carry. */
  admin: CertPair;
  controllerManager: CertPair;
  scheduler: CertPair;
  kubeProxy: CertPair;
  kubelet(hostId: string): CertPair;
  kubeletServing(hostId: string): CertPair;
}
