import { join } from 'node:path';
import type { Cluster } from '../../../src-shared/model/cluster';
import { KubesmithError } from '../../../src-shared/errors';
import { RELEASES } from '../versions';
import { loadBundle } from './bundle';
import { resolveDownloads, type DownloadProgress } from './cache';
import type { BinarySet } from './types';

/** amd64 or arm64 from the hosts' probes; a cluster of mixed architectures is refused. Unprobed hosts count as amd64. */
export function clusterArch(cluster: Cluster): 'amd64' | 'arm64' {
  const arches = new Set(cluster.hosts.filter((h) => h.roles.length > 0).map((h) => (h.probe?.arch === 'aarch64' ? 'arm64' : 'amd64')));
  if (arches.size > 1)
    throw new KubesmithError(
      'MixedArchitectures',
      'The cluster mixes x86_64 and aarch64 hosts.',
      'Kubesmith deploys one architecture per cluster.',
    );
  return arches.has('arm64') ? 'arm64' : 'amd64';
}

/** The binaries for a cluster from its chosen source: official URLs, a mirror, or an offline bundle folder. */
export async function resolveBinaries(cluster: Cluster, dataDir: string, log?: DownloadProgress, signal?: AbortSignal): Promise<BinarySet> {
  const source = cluster.settings.binarySource;
  if (source.kind === 'offline') return loadBundle(source.folder);
  const release = RELEASES[cluster.settings.kubernetesVersion];
  if (!release) throw new KubesmithError('UnsupportedVersion', `Kubernetes ${cluster.settings.kubernetesVersion} is not supported.`);
  return resolveDownloads({
    release,
    arch: clusterArch(cluster),
    cacheDir: join(dataDir, 'cache', 'binaries'),
    ...(source.kind === 'mirror' ? { mirrorPrefix: source.prefix } : {}),
    ...(log ? { log } : {}),
    ...(signal ? { signal } : {}),
  });
}
