import type { DeployRun } from '../../../../src-shared/model/deploy-run';
import type { Operation } from '../../../../src-shared/model/plan';

/** What this computer shows that an operation may have changed, read again once it is completely done. */
export interface FinishRefresh {
  /** The backup's copy was recorded. */
  backups: boolean;
  /** remove-host saves the host without roles; upgrade saves the cluster's new Kubernetes version. */
  inventory: boolean;
  /** The hosts' units, etcd, nodes or certificates changed, so a health reading on screen is out of date. */
  health: boolean;
}

const INVENTORY_CHANGES: ReadonlySet<Operation> = new Set(['remove-host', 'upgrade']);
const HOSTS_UNCHANGED: ReadonlySet<Operation> = new Set(['deploy', 'backup']);

export function refreshAfterFinish(operation: Operation | undefined): FinishRefresh {
  if (operation === undefined) return { backups: false, inventory: false, health: false };
  return {
    backups: operation === 'backup',
    inventory: INVENTORY_CHANGES.has(operation),
    health: !HOSTS_UNCHANGED.has(operation),
  };
}

/** The host whose cause explains a failed run, to open it without a click: the first one that has a cause. */
export function hostToShow(run: Pick<DeployRun, 'state' | 'hosts'>): string | undefined {
  if (run.state !== 'failed') return undefined;
  return run.hosts.find((h) => h.cause !== undefined)?.hostId;
}

/** A failed run where no host failed: the hosts did their part and the work on this computer afterwards failed. */
export function failedAfterHosts(run: Pick<DeployRun, 'state' | 'hosts'>): boolean {
  return run.state === 'failed' && run.hosts.every((h) => h.state !== 'failed' && h.state !== 'blocked' && h.cause === undefined);
}
