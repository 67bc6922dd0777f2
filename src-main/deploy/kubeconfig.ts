import { stringify } from 'yaml';
import type { CertPair } from './pki-source';

const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

/** A kubeconfig with the CA and client certificate embedded, for one user against one server. */
export function renderKubeconfig(opts: { cluster: string; server: string; caCert: string; user: string; pair: CertPair }): string {
  const context = `${opts.user}@${opts.cluster}`;
  return stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: opts.cluster, cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caCert) } }],
      users: [{ name: opts.user, user: { 'client-certificate-data': b64(opts.pair.cert), 'client-key-data': b64(opts.pair.key) } }],
      contexts: [{ name: context, context: { cluster: opts.cluster, user: opts.user } }],
      'current-context': context,
    },
    { lineWidth: 0 },
  );
}
