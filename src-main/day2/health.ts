import { toApiError } from '../../src-shared/errors';
import type { ClusterHealth } from '../../src-shared/contract/operations';
import type { Cluster, Host } from '../../src-shared/model/cluster';
import type { TransportProvider } from '../deploy/engine/transport';
import { kubectl } from '../deploy/phases/addons';
import { sh } from '../ssh/shell';
import type { PkiListing } from '../../src-shared/model/pki';
import { readEtcdState } from './etcd-state';

/** The units a host's roles run, in the order the deploy starts them. */
export function unitsFor(host: Host): string[] {
  const units: string[] = [];
  if (host.roles.includes('etcd')) units.push('etcd');
  const kubelet = host.roles.includes('master') || host.roles.includes('node');
  if (kubelet) units.push('containerd', 'kube-lb');
  if (host.roles.includes('master')) units.push('kube-apiserver', 'kube-controller-manager', 'kube-scheduler');
  if (kubelet) units.push('kubelet', 'kube-proxy');
  return units;
}

/** `kubectl get nodes -o json`: name, Ready and the kubelet's version. */
export function parseNodes(text: string): ClusterHealth['nodes']['items'] {
  const raw = JSON.parse(text) as {
    items?: Array<{
      metadata: { name: string };
      status?: { conditions?: Array<{ type: string; status: string }>; nodeInfo?: { kubeletVersion?: string } };
    }>;
  };
  return (raw.items ?? []).map((n) => ({
    name: n.metadata.name,
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    version: n.status?.nodeInfo?.kubeletVersion ?? '',
  }));
}

const lastLine = (s: string): string => s.trim().split('\n').pop() ?? '';

/** Every part read at once, each failing on its own: a dashboard shows what it can and says why for the rest. */
export async function readHealth(
  cluster: Cluster,
  transports: TransportProvider,
  listing: () => Promise<PkiListing>,
  now = new Date(),
): Promise<ClusterHealth> {
  const withRoles = cluster.hosts.filter((h) => h.roles.length > 0);
  const etcdHosts = withRoles.filter((h) => h.roles.includes('etcd'));
  const master = withRoles.find((h) => h.roles.includes('master'));
  const hosts = Promise.all(
    withRoles.map(async (host) => {
      const units = unitsFor(host);
      try {
        const r = await transports.forHost(host).exec(sh`systemctl is-active ${units}`.command, { timeoutMs: 15_000 });
        const states = r.stdout.trim().split('\n');
        return {
          hostId: host.id,
          hostName: host.name,
          reachable: true,
          units: units.map((unit, i) => ({ unit, state: states[i] ?? 'unknown' })),
        };
      } catch (e) {
        return { hostId: host.id, hostName: host.name, reachable: false, error: toApiError(e).message, units: [] };
      }
    }),
  );
  const etcd = readEtcdState(etcdHosts, (h) => transports.forHost(h));
  const nodes = (async (): Promise<ClusterHealth['nodes']> => {
    if (!master) return { ok: false, error: 'The cluster has no master.', items: [] };
    try {
      const r = await transports.forHost(master).exec(kubectl(sh`get nodes -o json --request-timeout=10s`).command, { timeoutMs: 20_000 });
      if (r.code !== 0)
        return { ok: false, error: `${master.name}: ${lastLine(r.stderr || r.stdout) || `kubectl exited ${r.code}`}`, items: [] };
      return { ok: true, items: parseNodes(r.stdout) };
    } catch (e) {
      return { ok: false, error: `${master.name}: ${toApiError(e).message}`, items: [] };
    }
  })();
  const certificates = listing()
    .then((l) =>
      l.certificates
        .map((c) => ({
          id: c.id,
          subject: c.subject,
          notAfter: c.notAfter,
          daysLeft: Math.floor((Date.parse(c.notAfter) - now.getTime()) / 86_400_000),
        }))
        .sort((a, b) => a.notAfter.localeCompare(b.notAfter)),
    )
    .catch(() => []);
  return { at: now.toISOString(), hosts: await hosts, etcd: await etcd, nodes: await nodes, certificates: await certificates };
}
