import { join } from 'node:path';
import type { Cluster, Host } from '../../src-shared/model/cluster';
import type { PromptBroker } from '../prompts/prompt-broker';
import { SshPool, type SecretRequest } from '../ssh';
import type { SecretKind as StoredSecretKind, SecretStore } from '../store/secret-store';
import type { Workspace } from '../store/workspace';

const STORED_KIND: Record<SecretRequest['kind'], StoredSecretKind> = {
  password: 'password',
  passphrase: 'passphrase',
  sudo: 'sudoPassword',
};

interface ClusterPool {
  pool: SshPool;
  hosts: Map<string, Host>;
}

export interface ClusterConnectionsDeps {
  workspace: Workspace;
  secrets: SecretStore;
  prompts: PromptBroker;
  /** ~/.ssh/known_hosts is read too unless this is null (tests). */
  userKnownHosts?: string | null;
}

/**
 * One SSH pool per cluster. Hosts are looked up from the cluster as last read, so an edit
 * takes effect on the next connection. Secrets come from the secret store first and from
 * the user (a prompt) only when none is stored; host keys unknown to known_hosts are asked about.
 */
export class ClusterConnections {
  private readonly pools = new Map<string, ClusterPool>();

  constructor(private readonly deps: ClusterConnectionsDeps) {}

  /** The cluster's pool, with its host table refreshed from cluster.yaml. */
  async forCluster(name: string): Promise<SshPool> {
    return this.withHosts(await this.deps.workspace.get(name));
  }

  /** The cluster's pool, knowing exactly its hosts (for callers that already hold the cluster). */
  withHosts(cluster: Pick<Cluster, 'name' | 'hosts'>): SshPool {
    const entry = this.pools.get(cluster.name) ?? this.create(cluster.name);
    entry.hosts.clear();
    for (const host of cluster.hosts) entry.hosts.set(host.id, host);
    return entry.pool;
  }

  /** Makes these hosts known to the cluster's pool as given, keeping the others. */
  withExtraHosts(cluster: string, hosts: readonly Host[]): SshPool {
    const entry = this.pools.get(cluster) ?? this.create(cluster);
    for (const host of hosts) entry.hosts.set(host.id, host);
    return entry.pool;
  }

  host(cluster: string, hostId: string): Host | undefined {
    return this.pools.get(cluster)?.hosts.get(hostId);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.pool.closeAll()));
    this.pools.clear();
  }

  private create(cluster: string): ClusterPool {
    const hosts = new Map<string, Host>();
    const { secrets, prompts, workspace } = this.deps;
    const label = (hostId: string) => {
      const host = hosts.get(hostId);
      return host ? `${host.user}@${host.address}` : hostId;
    };
    const pool = new SshPool({
      resolveHost: (hostId) => hosts.get(hostId),
      workspaceKnownHosts: join(workspace.dataDir, 'known_hosts'),
      ...(this.deps.userKnownHosts !== undefined ? { userKnownHosts: this.deps.userKnownHosts } : {}),
      askSecret: async ({ hostId, kind }) =>
        (await secrets.get(cluster, hostId, STORED_KIND[kind])) ?? prompts.askSecret({ host: label(hostId), secretKind: kind }),
      confirmHostKey: ({ host, port, keyType, fingerprintSha256 }) =>
        prompts.confirmHostKey({ host, port, keyType, fingerprint: fingerprintSha256 }),
    });
    const entry = { pool, hosts };
    this.pools.set(cluster, entry);
    return entry;
  }
}
