import type { Host, Role } from './cluster';

/**
 * Why the suggestion looks the way it does, as an i18n key's name and its parameters (both languages say it in
 * one sentence).
 */
export type SuggestionReason =
  | { code: 'none'; params: { skipped: number } }
  | { code: 'single'; params: { skipped: number } }
  | { code: 'pair'; params: { skipped: number } }
  | { code: 'threeAllRoles'; params: { skipped: number } }
  | { code: 'stacked'; params: { masters: number; workers: number; skipped: number } }
  | { code: 'separateEtcd'; params: { etcd: number; masters: number; workers: number; skipped: number } };

export interface RoleSuggestion {
  /** Every host's roles; hosts left out (their probe failed) get none. */
  roles: Record<string, Role[]>;
  reason: SuggestionReason;
}

/** From this many usable hosts on, etcd gets machines of its own (the seed: 8 hosts, 3 etcd, 2 masters, 3 workers). */
export const SEPARATE_ETCD_FROM = 7;
/** From this many, a third control plane (it then survives one down during an upgrade of another). */
const THIRD_MASTER_FROM = 10;
/** From this many, five etcd members (survives two lost members). */
const FIVE_ETCD_FROM = 15;

/**
 * An HA layout for the hosts, from their probed facts. The rules:
 * - Hosts whose probe failed are left out (no role): they cannot be reached now.
 * - 1 host: it does everything (etcd, control plane, worker). 2 hosts: the stronger does everything, the other is a
 *   worker (not HA: that needs 3 etcd members).
 * - 3 hosts: all three do everything (stacked etcd, schedulable control planes).
 * - 4–6 hosts: stacked etcd on 3 control planes, the rest workers.
 * - 7 or more: 3 etcd members of their own (5 from 15 hosts), 2 control planes (3 from 10 hosts), the rest workers.
 * Control planes go to the strongest machines (CPU, then memory), etcd to the next ones; ties keep inventory order.
 */
export function suggestRoles(hosts: readonly Host[]): RoleSuggestion {
  const usable = hosts.filter((h) => h.probe?.ok !== false);
  const skipped = hosts.length - usable.length;
  const roles: Record<string, Role[]> = Object.fromEntries(hosts.map((h) => [h.id, [] as Role[]]));
  const strongest = [...usable].sort(byStrength);
  const assign = (list: readonly Host[], r: Role[]) => list.forEach((h) => (roles[h.id] = [...r]));
  const n = usable.length;
  if (n === 0) return { roles, reason: { code: 'none', params: { skipped } } };
  if (n <= 2) {
    assign(strongest.slice(0, 1), ['etcd', 'master', 'node']);
    assign(strongest.slice(1), ['node']);
    return { roles, reason: { code: n === 1 ? 'single' : 'pair', params: { skipped } } };
  }
  if (n === 3) {
    assign(strongest, ['etcd', 'master', 'node']);
    return { roles, reason: { code: 'threeAllRoles', params: { skipped } } };
  }
  if (n < SEPARATE_ETCD_FROM) {
    assign(strongest.slice(0, 3), ['etcd', 'master']);
    assign(strongest.slice(3), ['node']);
    return { roles, reason: { code: 'stacked', params: { masters: 3, workers: n - 3, skipped } } };
  }
  const masters = n >= THIRD_MASTER_FROM ? 3 : 2;
  const etcd = n >= FIVE_ETCD_FROM ? 5 : 3;
  assign(strongest.slice(0, masters), ['master']);
  assign(strongest.slice(masters, masters + etcd), ['etcd']);
  assign(strongest.slice(masters + etcd), ['node']);
  return { roles, reason: { code: 'separateEtcd', params: { etcd, masters, workers: n - masters - etcd, skipped } } };
}

/** Stronger first: more CPUs, then more memory; unknown counts as nothing. Array.sort is stable. */
function byStrength(a: Host, b: Host): number {
  return (b.probe?.cpus ?? 0) - (a.probe?.cpus ?? 0) || (b.probe?.memoryBytes ?? 0) - (a.probe?.memoryBytes ?? 0);
}
