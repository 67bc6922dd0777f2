import type { PkiClusterInputs, PkiHost } from './cluster-inputs';
import type { CertProfile } from './profiles';
import { collectSans, httpsUrlHost, parseName, type ParsedName, type SubjectAltNames } from './sans';
import type { CertSubject } from './x509';

/*
 * What pki/ holds (paths relative to it). Shared files use kubeadm's names; a file that differs per
 * machine lives under hosts/<node name>/ with the name kubeadm gives it on that machine.
 *
 *   ca.crt, ca.key                          cluster CA (CN kubernetes-ca)
 *   front-proxy-ca.crt, front-proxy-ca.key  front-proxy CA
 *   etcd/ca.crt, etcd/ca.key                etcd CA
 *   sa.key, sa.pub                          service-account signing key pair
 *   apiserver, apiserver-kubelet-client, apiserver-etcd-client, front-proxy-client  (.crt/.key)
 *   etcd/healthcheck-client.crt/.key
 *   hosts/<etcd member>/etcd/server.crt/.key, hosts/<etcd member>/etcd/peer.crt/.key
 *   hosts/<kubelet host>/kubelet.crt/.key         kubelet serving certificate
 *   hosts/<kubelet host>/kubelet-client.crt/.key  kubelet client certificate
 *   hosts/<kubelet host>/kubelet.conf             kubelet kubeconfig
 *   kubeconfig/{admin,super-admin,controller-manager,scheduler,kube-proxy}.conf, with the
 *     client certificate and key beside each (.crt/.key) so they can be checked and renewed.
 *   manifest.json                           what Kubesmith wrote, see manifest.ts
 *
 * Private keys and kubeconfigs get a ".enc" suffix when the secret cipher encrypts at rest.
 */

export type CaId = 'ca' | 'etcd/ca' | 'front-proxy-ca';

export interface CaEntry {
  kind: 'ca';
  id: CaId;
  certPath: string;
  keyPath: string;
  subject: CertSubject;
}

export interface LeafEntry {
  kind: 'leaf';
  id: string;
  certPath: string;
  keyPath: string;
  caId: CaId;
  subject: CertSubject;
  sans: SubjectAltNames;
  profile: CertProfile;
}

export interface KeyPairEntry {
  kind: 'key-pair';
  id: 'sa';
  privateKeyPath: string;
  publicKeyPath: string;
}

export interface KubeconfigEntry {
  kind: 'kubeconfig';
  id: string;
  path: string;
  /** The leaf whose certificate and key the kubeconfig embeds. */
  identityId: string;
  server: string;
  clusterName: string;
  userName: string;
}

export interface PkiLayout {
  cas: CaEntry[];
  serviceAccount: KeyPairEntry;
  leaves: LeafEntry[];
  kubeconfigs: KubeconfigEntry[];
}

export interface LayoutOptions {
  /** Server for the kubeconfigs used on the nodes. */
  apiServerUrl: string;
  /** Server for admin.conf and super-admin.conf, which are used from the desktop. */
  adminApiServerUrl: string;
}

export const MANIFEST_PATH = 'manifest.json';

const CLUSTER_ADMINS = 'kubeadm:cluster-admins';
const SYSTEM_MASTERS = 'system:masters';
const SYSTEM_NODES = 'system:nodes';

export function planLayout(inputs: PkiClusterInputs, options: LayoutOptions): PkiLayout {
  const cas: CaEntry[] = [ca('ca', 'kubernetes-ca'), ca('etcd/ca', 'etcd-ca'), ca('front-proxy-ca', 'front-proxy-ca')];
  const leaves: LeafEntry[] = [];
  const kubeconfigs: KubeconfigEntry[] = [];

  const urlHosts = [options.apiServerUrl, options.adminApiServerUrl].flatMap((url) => {
    const host = httpsUrlHost(url);
    return host === undefined ? [] : [parseName(host)].flatMap((n) => n ?? []);
  });
  const domain = inputs.clusterDomain;
  leaves.push(
    leaf('apiserver', 'ca', 'server', { commonName: 'kube-apiserver', organizations: [] }, [
      ...inputs.masters.flatMap(hostNames),
      ...names('127.0.0.1', 'localhost', inputs.serviceIp),
      ...names('kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${domain}`),
      ...urlHosts,
      ...inputs.extraSans,
    ]),
    leaf('apiserver-kubelet-client', 'ca', 'client', { commonName: 'kube-apiserver-kubelet-client', organizations: [CLUSTER_ADMINS] }),
    leaf('apiserver-etcd-client', 'etcd/ca', 'client', { commonName: 'kube-apiserver-etcd-client', organizations: [] }),
    leaf('front-proxy-client', 'front-proxy-ca', 'client', { commonName: 'front-proxy-client', organizations: [] }),
    leaf('etcd/healthcheck-client', 'etcd/ca', 'client', { commonName: 'kube-etcd-healthcheck-client', organizations: [] }),
  );

  for (const member of inputs.etcdMembers) {
    const sans = [...hostNames(member), ...names('localhost', '127.0.0.1', '::1')];
    const subject = { commonName: member.name, organizations: [] };
    leaves.push(leaf(`hosts/${member.name}/etcd/server`, 'etcd/ca', 'server-client', subject, sans));
    leaves.push(leaf(`hosts/${member.name}/etcd/peer`, 'etcd/ca', 'server-client', subject, sans));
  }

  const identities: [name: string, subject: CertSubject, server: string][] = [
    ['admin', { commonName: 'kubernetes-admin', organizations: [CLUSTER_ADMINS] }, options.adminApiServerUrl],
    ['super-admin', { commonName: 'kubernetes-super-admin', organizations: [SYSTEM_MASTERS] }, options.adminApiServerUrl],
    ['controller-manager', { commonName: 'system:kube-controller-manager', organizations: [] }, options.apiServerUrl],
    ['scheduler', { commonName: 'system:kube-scheduler', organizations: [] }, options.apiServerUrl],
    ['kube-proxy', { commonName: 'system:kube-proxy', organizations: [] }, options.apiServerUrl],
  ];
  for (const [name, subject, server] of identities) {
    const identity = leaf(`kubeconfig/${name}`, 'ca', 'client', subject);
    leaves.push(identity);
    kubeconfigs.push(kubeconfig(`kubeconfig/${name}`, identity, server, inputs.clusterName));
  }

  for (const host of inputs.kubeletHosts) {
    const nodeSubject = { commonName: `system:node:${host.name}`, organizations: [SYSTEM_NODES] };
    leaves.push(leaf(`hosts/${host.name}/kubelet`, 'ca', 'server', nodeSubject, hostNames(host)));
    const client = leaf(`hosts/${host.name}/kubelet-client`, 'ca', 'client', nodeSubject);
    leaves.push(client);
    kubeconfigs.push(kubeconfig(`hosts/${host.name}/kubelet`, client, options.apiServerUrl, inputs.clusterName));
  }

  return {
    cas,
    serviceAccount: { kind: 'key-pair', id: 'sa', privateKeyPath: 'sa.key', publicKeyPath: 'sa.pub' },
    leaves,
    kubeconfigs,
  };
}

function ca(id: CaId, commonName: string): CaEntry {
  return { kind: 'ca', id, certPath: `${id}.crt`, keyPath: `${id}.key`, subject: { commonName, organizations: [] } };
}

function leaf(id: string, caId: CaId, profile: CertProfile, subject: CertSubject, sans: ParsedName[] = []): LeafEntry {
  return { kind: 'leaf', id, certPath: `${id}.crt`, keyPath: `${id}.key`, caId, subject, sans: collectSans(sans), profile };
}

function kubeconfig(id: string, identity: LeafEntry, server: string, clusterName: string): KubeconfigEntry {
  return {
    kind: 'kubeconfig',
    id,
    path: `${id}.conf`,
    identityId: identity.id,
    server,
    clusterName,
    userName: identity.subject.commonName,
  };
}

/**
 * A host's node name and address as SANs. A node name that is itself an address (the default after "Paste a list")
 * goes only into the IP SANs (RFC 5280 §4.2.1.6: a dNSName holds a host name, an iPAddress an address). This is how
 * kubeadm sorts the extra SANs it is given (cmd/kubeadm/app/util/pkiutil/pki_helpers.go, appendSANsToAltNames: a
 * string that parses as an IP goes to IPs, else to DNSNames); for the node name itself kubeadm writes DNSNames
 * unchecked, which is where Kubesmith differs (docs/kubeadm-parity.md).
 */
function hostNames(host: PkiHost): ParsedName[] {
  return [parseName(host.name) ?? { kind: 'dns', value: host.name }, host.address];
}

function names(...values: string[]): ParsedName[] {
  return values.flatMap((v) => parseName(v) ?? []);
}

/** Every file the layout writes, with whether it holds a secret (and so goes through the cipher). */
export function layoutFiles(layout: PkiLayout): { path: string; secret: boolean; entryKey: string }[] {
  return [
    ...[...layout.cas, ...layout.leaves].flatMap((e) => [
      { path: e.certPath, secret: false, entryKey: e.certPath },
      { path: e.keyPath, secret: true, entryKey: e.certPath },
    ]),
    { path: layout.serviceAccount.privateKeyPath, secret: true, entryKey: layout.serviceAccount.privateKeyPath },
    { path: layout.serviceAccount.publicKeyPath, secret: false, entryKey: layout.serviceAccount.privateKeyPath },
    ...layout.kubeconfigs.map((k) => ({ path: k.path, secret: true, entryKey: k.path })),
  ];
}

const PURPOSES: Record<string, string> = {
  ca: 'Cluster CA',
  'etcd/ca': 'etcd CA',
  'front-proxy-ca': 'Front-proxy CA (API aggregation)',
  apiserver: 'API server serving certificate',
  'apiserver-kubelet-client': 'API server client certificate for kubelets',
  'apiserver-etcd-client': 'API server client certificate for etcd',
  'front-proxy-client': 'Front-proxy client certificate',
  'etcd/healthcheck-client': 'etcd health-check client certificate',
  'kubeconfig/admin': 'Cluster admin (admin.conf)',
  'kubeconfig/super-admin': 'Break-glass admin in system:masters (super-admin.conf)',
  'kubeconfig/controller-manager': 'Controller manager (controller-manager.conf)',
  'kubeconfig/scheduler': 'Scheduler (scheduler.conf)',
  'kubeconfig/kube-proxy': 'kube-proxy (kube-proxy.conf)',
};

const HOST_PURPOSES: [RegExp, (host: string) => string][] = [
  [/^hosts\/([^/]+)\/etcd\/server$/, (h) => `etcd server certificate of ${h}`],
  [/^hosts\/([^/]+)\/etcd\/peer$/, (h) => `etcd peer certificate of ${h}`],
  [/^hosts\/([^/]+)\/kubelet$/, (h) => `kubelet serving certificate of ${h}`],
  [/^hosts\/([^/]+)\/kubelet-client$/, (h) => `kubelet client certificate of ${h}`],
];

/** What a certificate in the layout is for, from its id alone; undefined for files Kubesmith does not issue. */
export function certificatePurpose(id: string): string | undefined {
  const fixed = PURPOSES[id];
  if (fixed !== undefined) return fixed;
  for (const [pattern, describe] of HOST_PURPOSES) {
    const host = pattern.exec(id)?.[1];
    if (host !== undefined) return describe(host);
  }
  return undefined;
}

/** Certificate and kubeconfig ids are relative paths without extension; anything else is refused before touching the disk. */
export function isSafeId(id: string): boolean {
  return id.length <= 300 && id.split('/').every((part) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(part) && !part.includes('..'));
}
