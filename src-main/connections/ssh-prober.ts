import type { HostProber } from '../inventory/probe';
import { probeHost } from '../ssh';
import type { ClusterConnections } from './cluster-connections';

/** Probes a host over the cluster's SSH pool. Host trouble comes back as a failed ProbeResult for that host only. */
export function sshProber(connections: ClusterConnections): HostProber {
  return async ({ cluster, host, jumpHost }) => {
    await connections.forCluster(cluster);
    const pool = connections.withExtraHosts(cluster, jumpHost ? [host, jumpHost] : [host]);
    // Reconnect so a changed address, user or secret is used rather than an old pooled login.
    await pool.disconnect(host.id);
    return probeHost(pool, host.id);
  };
}
