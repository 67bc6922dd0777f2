import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';
import type { Cluster } from '../../src-shared/model/cluster';
import { openSecret, secretDiskVariants } from '../pki/secret-files';
import type { SecretCipher } from '../store/secret-cipher';
import type { CertPair, ClusterPki } from './pki-source';

/**
 * The cluster PKI as the PKI module left it in pki/ (layout in src-main/pki/layout.ts), read once into
 * memory for planning. Private keys may be sealed (.enc); the cipher opens them.
 */
export async function readDeployPki(pkiDir: string, cluster: Cluster, cipher: SecretCipher): Promise<ClusterPki> {
  const texts = new Map<string, string>();
  const missing: string[] = [];
  // Files are read at once; the missing ones are named in the order asked for, not the order the reads failed in.
  const asked: string[] = [];
  const load = async (rel: string, secret: boolean): Promise<void> => {
    asked.push(rel);
    const { plain, sealed } = secretDiskVariants(join(pkiDir, rel));
    for (const [path, isSealed] of secret
      ? ([
          [sealed, true],
          [plain, false],
        ] as const)
      : ([[plain, false]] as const)) {
      try {
        const bytes = await readFile(path);
        texts.set(rel, openSecret(bytes, isSealed, cipher, rel));
        return;
      } catch (err) {
        if (err instanceof KubesmithError) throw err;
      }
    }
    missing.push(rel);
  };
  const pairPaths = (base: string) => [load(`${base}.crt`, false), load(`${base}.key`, true)];
  const name = (id: string) => cluster.hosts.find((h) => h.id === id)?.name ?? id;
  const etcd = cluster.hosts.filter((h) => h.roles.includes('etcd'));
  const kubelets = cluster.hosts.filter((h) => h.roles.includes('master') || h.roles.includes('node'));
  await Promise.all([
    load('ca.crt', false),
    load('ca.key', true),
    load('etcd/ca.crt', false),
    load('front-proxy-ca.crt', false),
    load('sa.key', true),
    load('sa.pub', false),
    ...['apiserver', 'apiserver-kubelet-client', 'apiserver-etcd-client', 'front-proxy-client', 'etcd/healthcheck-client'].flatMap(
      pairPaths,
    ),
    ...['admin', 'controller-manager', 'scheduler', 'kube-proxy'].flatMap((n) => pairPaths(`kubeconfig/${n}`)),
    ...etcd.flatMap((h) => [...pairPaths(`hosts/${h.name}/etcd/server`), ...pairPaths(`hosts/${h.name}/etcd/peer`)]),
    ...kubelets.flatMap((h) => [...pairPaths(`hosts/${h.name}/kubelet`), ...pairPaths(`hosts/${h.name}/kubelet-client`)]),
  ]);
  if (missing.length > 0) {
    missing.sort((a, b) => asked.indexOf(a) - asked.indexOf(b));
    throw new KubesmithError(
      'PkiIncomplete',
      `The cluster PKI is missing ${missing.length} file(s), e.g. ${missing.slice(0, 3).join(', ')}.`,
      'Generate the certificates on the Certificates screen first (after any topology change).',
      { missing: missing.slice(0, 20) },
    );
  }
  const text = (rel: string): string => texts.get(rel) as string;
  const pair = (base: string): CertPair => ({ cert: text(`${base}.crt`), key: text(`${base}.key`) });
  return {
    ca: { kubernetes: text('ca.crt'), etcd: text('etcd/ca.crt'), frontProxy: text('front-proxy-ca.crt') },
    kubernetesCaKey: text('ca.key'),
    serviceAccount: { key: text('sa.key'), pub: text('sa.pub') },
    apiserver: () => pair('apiserver'),
    apiserverKubeletClient: pair('apiserver-kubelet-client'),
    apiserverEtcdClient: pair('apiserver-etcd-client'),
    frontProxyClient: pair('front-proxy-client'),
    etcdServer: (id) => pair(`hosts/${name(id)}/etcd/server`),
    etcdPeer: (id) => pair(`hosts/${name(id)}/etcd/peer`),
    etcdHealthcheckClient: pair('etcd/healthcheck-client'),
    admin: pair('kubeconfig/admin'),
    controllerManager: pair('kubeconfig/controller-manager'),
    scheduler: pair('kubeconfig/scheduler'),
    kubeProxy: pair('kubeconfig/kube-proxy'),
    kubelet: (id) => pair(`hosts/${name(id)}/kubelet-client`),
    kubeletServing: (id) => pair(`hosts/${name(id)}/kubelet`),
  };
}
