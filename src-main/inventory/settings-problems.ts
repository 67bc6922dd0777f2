import { KubesmithError } from '../../src-shared/errors';
import type { Cluster, ClusterSettings } from '../../src-shared/model/cluster';
import { describeSettingsProblem } from '../../src-shared/model/settings-problem-text';
import { validateSettings } from '../../src-shared/model/validate-settings';

/** Refuses settings the shared validation finds wrong, with every reason; the renderer checks the same before sending. */
export function assertValidSettings(settings: ClusterSettings, hosts: Cluster['hosts'], source = 'The cluster settings'): void {
  const problems = validateSettings(settings, hosts);
  if (problems.length === 0) return;
  throw new KubesmithError(
    'InvalidSettings',
    `${source} were not saved: ${problems.map(describeSettingsProblem).join('; ')}.`,
    'Correct the values named above.',
    { problems },
  );
}
