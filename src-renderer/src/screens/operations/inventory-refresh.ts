import { onEvent } from '../../api/client';
import { useClusters } from '../../stores/clusters';
import { refreshAfterFinish } from './after-finish';

/**
 * Reads the open cluster again once an operation saved it (a removed host's roles, an upgraded version). It listens
 * whichever screen is open: a stale copy saved from another screen would put the old roles or version back.
 */
export function subscribeInventoryRefresh(): () => void {
  return onEvent('ops.finished', (run) => {
    const clusters = useClusters.getState();
    if (refreshAfterFinish(run.operation).inventory && clusters.current?.name === run.cluster) void clusters.open(run.cluster);
  });
}
