import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterSchema, NEW_CLUSTER_VERSIONS, type Cluster } from '../../src-shared/model/cluster';
import { DeployService } from '../../src-main/deploy/service';
import { sshTransports } from '../../src-main/deploy/ssh-transport';
import type { TransportProvider } from '../../src-main/deploy/engine/transport';
import type { BinarySet } from '../../src-main/deploy/binaries/types';
import { generateClusterPki } from '../../src-main/pki';
import { SshPool } from '../../src-main/ssh/connection-pool';
import { plainCipher } from '../../src-main/store/secret-cipher';
import { Workspace } from '../../src-main/store/workspace';
import { ensureImage, type LabHost } from '../lab/lab';
import { buildLabBundle } from './lab-bundle';
import { putCluster } from '../support/store/test-clusters';

export interface LabDeploy {
  workspace: Workspace;
  cluster: Cluster;
  service: DeployService;
  /** Every log line, "host: line", for failure messages. */
  logs: string[];
  dataDir: string;
  /** Closes the SSH connections a `keepConnections` lab holds between runs (the next run opens new ones). */
  closeConnections(): Promise<void>;
}

/**
 * Lab topologies, root login with the lab key. Three hosts: node1, node2 etcd + master, node3 etcd + worker (so a
 * worker-only host is covered with the lab size the other suites use). More hosts: the seed topology, the first
 * three etcd + master and the rest workers.
 */
export function rolesFor(index: number, count: number): Array<'etcd' | 'master' | 'node'> {
  if (count === 3) return index < 2 ? ['etcd', 'master'] : ['etcd', 'node'];
  return index < 3 ? ['etcd', 'master'] : ['node'];
}

export function labClusterOf(hosts: LabHost[], name = 'lab', settings: Partial<Cluster['settings']> = {}): Cluster {
  return ClusterSchema.parse({
    name,
    hosts: hosts.map((h, i) => ({
      id: `id-${h.name}`,
      name: h.name,
      address: h.address,
      user: 'root',
      auth: { kind: 'key', keyPath: h.rootKeyPath },
      roles: rolesFor(i, hosts.length),
    })),
    settings: { kubernetesVersion: NEW_CLUSTER_VERSIONS[0], cni: 'flannel', ...settings },
  });
}

/**
 * A workspace on this machine with the cluster, its real PKI (the PKI module) and the lab's offline bundle,
 * and a DeployService reaching the hosts through the product's SSH pool.
 */
export interface LabDeployOptions {
  dataDir?: string;
  settings?: Partial<Cluster['settings']>;
  /** Per-host overrides (user, sudo mode) of the root login. */
  user?: (h: LabHost) => Partial<Cluster['hosts'][number]>;
  /** Answers for passwords and sudo passwords (the UI's prompt). */
  askSecret?: (hostId: string, kind: string) => string | undefined;
  /** Wraps the SSH transports (a test counting bytes, injecting faults). */
  wrap?: (provider: TransportProvider) => TransportProvider;
  /** How artifacts travel (the service's default without it). */
  transfer?: 'relay' | 'direct';
  /**
   * The binaries a plan uses, from the cluster and the lab's offline bundle folder (default: the cluster's binary
   * source, which is that bundle unless `settings.binarySource` names another).
   */
  binaries?: (cluster: Cluster, bundleFolder: string) => Promise<BinarySet>;
  /**
   * Keep one SSH pool from run to run, as the app does (its cluster pool lives as long as the app:
   * src-main/connections/cluster-connections.ts). Without it every run connects anew and closes at its end.
   */
  keepConnections?: boolean;
}

export async function prepareLabDeploy(hosts: LabHost[], opts: LabDeployOptions = {}): Promise<LabDeploy> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ks-lab-deploy-'));
  const workspace = new Workspace(dataDir);
  const image = await ensureImage();
  const bundle = join(dataDir, 'bundle');
  const version = opts.settings?.kubernetesVersion ?? NEW_CLUSTER_VERSIONS[0];
  buildLabBundle(bundle, image.rootfs, version);
  let cluster = labClusterOf(hosts, 'lab', { binarySource: { kind: 'offline', folder: bundle }, ...opts.settings });
  if (opts.user) cluster = { ...cluster, hosts: cluster.hosts.map((h, i) => ({ ...h, ...opts.user!(hosts[i]!) })) };
  await workspace.create('lab').catch(() => undefined);
  cluster = await putCluster(workspace, cluster);
  await generateClusterPki(cluster, { pkiDir: workspace.pkiDir('lab'), cipher: plainCipher });
  const logs: string[] = [];
  let current: Cluster | undefined;
  let pool: SshPool | undefined;
  const closeConnections = async (): Promise<void> => {
    const open = pool;
    pool = undefined;
    await open?.closeAll();
  };
  const service = new DeployService({
    workspace,
    cipher: plainCipher,
    emit: (event, payload) => {
      if (event === 'log') {
        const l = payload as { hostId?: string; line: string };
        logs.push(`${l.hostId ?? '-'}: ${l.line}`);
      }
    },
    transports: (c) => {
      current = c;
      pool ??= new SshPool({
        resolveHost: (id) => current?.hosts.find((h) => h.id === id),
        workspaceKnownHosts: join(dataDir, 'known_hosts'),
        userKnownHosts: null,
        askSecret: async ({ hostId, kind }) => opts.askSecret?.(hostId, kind),
        confirmHostKey: async () => true,
        keepaliveIntervalMs: 3_000,
        keepaliveCountMax: 3,
        connectTimeoutMs: 10_000,
        reconnect: { retries: 1, initialDelayMs: 300, maxDelayMs: 1000 },
      });
      const provider = sshTransports(pool, opts.keepConnections ? async () => undefined : closeConnections);
      return opts.wrap ? opts.wrap(provider) : provider;
    },
    ...(opts.transfer ? { transfer: opts.transfer } : {}),
    ...(opts.binaries ? { binaries: (c: Cluster) => opts.binaries!(c, bundle) } : {}),
  });
  return { workspace, cluster, service, logs, dataDir, closeConnections };
}
