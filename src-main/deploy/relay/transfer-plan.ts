import type { Cluster, Host } from '../../../src-shared/model/cluster';
import type { Plan, PlanTransfer } from '../../../src-shared/model/plan';
import { classifyAddress } from '../../../src-shared/net/host-address';
import type { BinarySet } from '../binaries/types';

export type TransferMode = 'relay' | 'direct';

/** The binaries the hosts download themselves (by local path) and the source's name for the plan. */
export interface HostDownloads {
  source: string;
  localPaths: ReadonlySet<string>;
}

/**
 * With the cluster's artifactTransfer "hostsDownload" and an official or mirror source: the binaries whose origin is
 * known (see BinaryOrigin; a cache made before origins were recorded has none, those are sent as before).
 */
export function hostDownloads(cluster: Pick<Cluster, 'settings'>, binaries: Pick<BinarySet, 'files'>): HostDownloads | undefined {
  const source = cluster.settings.binarySource;
  if (cluster.settings.artifactTransfer !== 'hostsDownload' || source.kind === 'offline') return undefined;
  const known = binaries.files.filter((f) => f.origin !== undefined);
  if (known.length === 0) return undefined;
  const sites = [...new Set(known.map((f) => new URL(f.origin!.url).host))].sort();
  return { source: source.kind === 'mirror' ? source.prefix : sites.join(', '), localPaths: new Set(known.map((f) => f.localPath)) };
}

type Sizes = Map<string, number>;

/** The artifacts (files from this computer) each host receives, counted once per content, split by who fetches them. */
function artifactsByHost(
  plan: Pick<Plan, 'phases'>,
  downloads?: HostDownloads,
): { sent: Map<string, Sizes>; downloaded: Map<string, Sizes> } {
  const sent = new Map<string, Sizes>();
  const downloaded = new Map<string, Sizes>();
  for (const phase of plan.phases) {
    for (const job of phase.jobs) {
      for (const step of job.steps) {
        if (step.action.kind !== 'file' || step.action.localPath === undefined) continue;
        const into = downloads?.localPaths.has(step.action.localPath) ? downloaded : sent;
        const files = into.get(job.hostId) ?? new Map<string, number>();
        files.set(step.action.sha256, step.action.size);
        into.set(job.hostId, files);
      }
    }
  }
  return { sent, downloaded };
}

const total = (sizes: Sizes | undefined): number => [...(sizes?.values() ?? [])].reduce((a, b) => a + b, 0);

const ipFamily = (address: string): string | undefined => {
  const kind = classifyAddress(address);
  return kind === 'ipv4' || kind === 'ipv6' ? kind : undefined;
};

/**
 * How artifacts travel in a run of this plan. With `relay`, one host that can serve them (nginx is installed there by
 * the prepare phase: `servers`) receives each artifact once from this computer and the hosts of the same address family
 * fetch them from it over the LAN; the relay host is the one that needs the most bytes itself (it would receive them
 * anyway), the first in cluster order on a tie. The relay's nginx is bound to and allows only IP addresses, so a host
 * named by DNS name is sent its files directly. With `downloads`, each host downloads those binaries from the source
 * itself; the relay is chosen for the rest, and is also the fallback route of a host whose download fails. Undefined
 * when the plan moves no artifacts.
 */
export function transferPlan(
  plan: Pick<Plan, 'phases'>,
  hosts: readonly Host[],
  servers: readonly string[],
  mode: TransferMode,
  downloads?: HostDownloads,
): PlanTransfer | undefined {
  const { sent, downloaded } = artifactsByHost(plan, downloads);
  const all = (h: Host): Sizes => new Map([...(sent.get(h.id) ?? []), ...(downloaded.get(h.id) ?? [])]);
  const receiving = hosts.filter((h) => sent.has(h.id) || downloaded.has(h.id));
  if (receiving.length === 0) return undefined;
  // The relay is there for what is sent, and as every download's fallback: chosen by all the bytes a host needs.
  const bytesOf = (h: Host): number => total(all(h));
  const candidates = receiving.filter((h) => servers.includes(h.id) && ipFamily(h.address) !== undefined);
  const relay =
    mode === 'relay' && receiving.length > 1
      ? candidates.reduce<Host | undefined>((best, h) => (best === undefined || bytesOf(h) > bytesOf(best) ? h : best), undefined)
      : undefined;
  const family = relay ? ipFamily(relay.address) : undefined;
  return {
    ...(relay ? { relay: { hostId: relay.id, hostName: relay.name } } : {}),
    ...(downloads ? { source: downloads.source } : {}),
    routes: receiving.map((h) => ({
      hostId: h.id,
      hostName: h.name,
      via: relay && h !== relay && ipFamily(h.address) === family ? 'relay' : 'direct',
      files: sent.get(h.id)?.size ?? 0,
      bytes: total(sent.get(h.id)),
      ...(downloads ? { downloads: { files: downloaded.get(h.id)?.size ?? 0, bytes: total(downloaded.get(h.id)) } } : {}),
    })),
  };
}
