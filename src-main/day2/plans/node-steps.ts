import type { Host } from '../../../src-shared/model/cluster';
import type { PlanStep } from '../../../src-shared/model/plan';
import { kubectl } from '../../deploy/phases/addons';
import { sh, type Shell } from '../../ssh/shell';
import { commandStep } from '../../deploy/steps';

/** Succeeds when the apiserver does not know the Node: there is nothing to cordon, drain or delete. */
export const nodeGone = (host: Host): Shell => sh`${kubectl(sh`get node ${host.name}`)} 2>&1 | grep -q NotFound`;

/** Evicts the host's pods (DaemonSets stay); the pods that block it end up in the failure's output. */
export function drainStep(id: string, host: Host): PlanStep {
  return commandStep(id, `Drain ${host.name} (evict its pods; DaemonSets stay; 5 minutes at most)`, {
    skipIf: nodeGone(host),
    run: kubectl(sh`drain ${host.name} --ignore-daemonsets --delete-emptydir-data --timeout=300s`),
    timeoutMs: 330_000,
  });
}
