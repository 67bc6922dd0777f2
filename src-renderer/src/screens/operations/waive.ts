import type { OperationKind } from '../../../../src-shared/contract/operations';
import type { WaivableCheck } from '../../../../src-shared/model/plan';

/** Operations whose plan runs the deploy's preflight on a host (a new etcd member, an upgraded host, a removal). */
const WITH_PREFLIGHT: ReadonlySet<OperationKind> = new Set(['etcd-membership', 'upgrade', 'remove-host']);

export function waivesPreflight(kind: OperationKind): boolean {
  return WITH_PREFLIGHT.has(kind);
}

/** The waivers an operation's plan is asked with: none for one that runs no preflight, so its plan never says so. */
export function waiversFor(kind: OperationKind, waive: readonly WaivableCheck[]): WaivableCheck[] {
  return waivesPreflight(kind) ? [...waive] : [];
}

/** The check added to the waivers, or taken out when it was there. */
export function toggleWaiver(waive: readonly WaivableCheck[], check: WaivableCheck): WaivableCheck[] {
  return waive.includes(check) ? waive.filter((c) => c !== check) : [...waive, check];
}
