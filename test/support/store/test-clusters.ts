import type { Cluster } from '../../../src-shared/model/cluster';
import { pathExists } from '../../../src-main/store/path-exists';
import type { Workspace } from '../../../src-main/store/workspace';

/** For tests: makes the workspace hold exactly this cluster, creating it first when needed (through the same gate). */
export async function putCluster(workspace: Workspace, cluster: Cluster): Promise<Cluster> {
  if (!(await pathExists(workspace.clusterFile(cluster.name)))) await workspace.create(cluster.name);
  return workspace.update(cluster.name, (current) => ({ ...cluster, revision: current.revision }));
}
