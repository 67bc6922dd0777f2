import type { Role } from '../../../../src-shared/model/cluster';

/** The canvas's drop targets, left to right: the pool, then one lane per role. */
export const LANES = ['pool', 'etcd', 'master', 'node'] as const;
export type LaneId = (typeof LANES)[number];

export function isLane(value: unknown): value is LaneId {
  return typeof value === 'string' && (LANES as readonly string[]).includes(value);
}

/** A card is one role assignment (or the host in the pool), so its id names both. */
export function chipId(lane: LaneId, hostId: string): string {
  return `${lane}:${hostId}`;
}

/**
 * A host's roles after its card moved: pool → lane adds that role, lane → pool removes the
 * lane's role, lane → lane moves it. Undefined when nothing changes.
 */
export function rolesAfterDrop(roles: readonly Role[], from: LaneId, to: LaneId): Role[] | undefined {
  if (from === to) return undefined;
  const without = from === 'pool' ? [...roles] : roles.filter((r) => r !== from);
  const next = to === 'pool' || without.includes(to) ? without : [...without, to];
  const same = next.length === roles.length && next.every((r) => roles.includes(r));
  return same ? undefined : next;
}
