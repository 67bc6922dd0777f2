import { parse, stringify } from 'yaml';
import { z } from 'zod';

export interface KubeconfigContent {
  clusterName: string;
  server: string;
  caCertPem: string;
  userName: string;
  clientCertPem: string;
  clientKeyPem: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: string): string => Buffer.from(text, 'base64').toString('utf8');

/** A kubeconfig with everything embedded, so it works wherever it is copied to (as kubeadm writes them). */
export function renderKubeconfig(content: KubeconfigContent): string {
  const context = `${content.userName}@${content.clusterName}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: content.clusterName, cluster: { 'certificate-authority-data': b64(content.caCertPem), server: content.server } }],
    contexts: [{ name: context, context: { cluster: content.clusterName, user: content.userName } }],
    'current-context': context,
    preferences: {},
    users: [
      {
        name: content.userName,
        user: { 'client-certificate-data': b64(content.clientCertPem), 'client-key-data': b64(content.clientKeyPem) },
      },
    ],
  });
}

const KubeconfigFileSchema = z.object({
  kind: z.literal('Config'),
  'current-context': z.string(),
  clusters: z.array(z.object({ name: z.string(), cluster: z.object({ server: z.string(), 'certificate-authority-data': z.string() }) })),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.string() }) })),
  users: z.array(z.object({ name: z.string(), user: z.object({ 'client-certificate-data': z.string(), 'client-key-data': z.string() }) })),
});

/** Reads back what renderKubeconfig wrote (current context only); undefined for anything else. */
export function parseKubeconfig(text: string): KubeconfigContent | undefined {
  let parsed;
  try {
    parsed = KubeconfigFileSchema.safeParse(parse(text));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  const config = parsed.data;
  const context = config.contexts.find((c) => c.name === config['current-context'])?.context;
  const cluster = config.clusters.find((c) => c.name === context?.cluster);
  const user = config.users.find((u) => u.name === context?.user);
  if (!context || !cluster || !user) return undefined;
  return {
    clusterName: cluster.name,
    server: cluster.cluster.server,
    caCertPem: unb64(cluster.cluster['certificate-authority-data']),
    userName: user.name,
    clientCertPem: unb64(user.user['client-certificate-data']),
    clientKeyPem: unb64(user.user['client-key-data']),
  };
}
