import type { Host } from '../../../src-shared/model/cluster';
import type { Plan, PlanTransfer } from '../../../src-shared/model/plan';
import { classifyAddress } from '../../../src-shared/net/host-address';

export type TransferMode = 'relay' | 'direct';

/** The artifacts (files from this computer) each host receives, counted once per content. */
function artifactsByHost(plan: Pick<Plan, 'phases'>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const phase of plan.phases) {
    for (const job of phase.jobs) {
      for (const step of job.steps) {
        if (step.action.kind !== 'file' || step.action.localPath === undefined) continue;
        const files = out.get(job.hostId) ?? new Map<string, number>();
        files.set(step.action.sha256, step.action.size);
        out.set(job.hostId, files);
      }
    }
  }
  return out;
}

const ipFamily = (address: string): string | undefined => {
  const kind = classifyAddress(address);
  return kind === 'ipv4' || kind === 'ipv6' ? kind : undefined;
};

/**
 * How artifacts travel in a run of this plan. With `relay`, one host that can serve them (nginx is installed there by
 * the prepare phase: `servers`) receives each artifact once from this computer and the hosts of the same address family
 * fetch them from it over the LAN; the relay host is the one that needs the most bytes itself (it would receive them
 * anyway), the first in cluster order on a tie. The relay's nginx is bound to and allows only IP addresses, so a host
 * named by DNS name is sent its files directly. Undefined when the plan uploads nothing.
 */
export function transferPlan(
  plan: Pick<Plan, 'phases'>,
  hosts: readonly Host[],
  servers: readonly string[],
  mode: TransferMode,
): PlanTransfer | undefined {
  const byHost = artifactsByHost(plan);
  const receiving = hosts.filter((h) => byHost.has(h.id));
  if (receiving.length === 0) return undefined;
  const bytesOf = (h: Host): number => [...(byHost.get(h.id)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const candidates = receiving.filter((h) => servers.includes(h.id) && ipFamily(h.address) !== undefined);
  const relay =
    mode === 'relay' && receiving.length > 1
      ? candidates.reduce<Host | undefined>((best, h) => (best === undefined || bytesOf(h) > bytesOf(best) ? h : best), undefined)
      : undefined;
  const family = relay ? ipFamily(relay.address) : undefined;
  return {
    ...(relay ? { relay: { hostId: relay.id, hostName: relay.name } } : {}),
    routes: receiving.map((h) => ({
      hostId: h.id,
      hostName: h.name,
      via: relay && h !== relay && ipFamily(h.address) === family ? 'relay' : 'direct',
      files: byHost.get(h.id)?.size ?? 0,
      bytes: bytesOf(h),
    })),
  };
}
