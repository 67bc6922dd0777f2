import { WaiveChecks } from '../deploy/WaiveChecks';
import { useOperations } from './store';
import { waivesPreflight } from './waive';

/** For an operation that runs the deploy's preflight on a host: the checks to waive, each change planned again. */
export function OperationWaivers() {
  const kind = useOperations((s) => s.request?.kind);
  const waive = useOperations((s) => s.waive);
  const locked = useOperations((s) => s.planLoading || s.running || s.starting);
  const toggleWaive = useOperations((s) => s.toggleWaive);
  if (!kind || !waivesPreflight(kind)) return null;
  return <WaiveChecks waived={waive} onToggle={(c) => void toggleWaive(c)} disabled={locked} />;
}
