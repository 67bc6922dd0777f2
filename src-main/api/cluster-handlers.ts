import type { Handlers } from './dispatcher';
import type { BackendContext } from './context';

type ClusterMethods = 'clusters.list' | 'clusters.create' | 'clusters.get' | 'clusters.save' | 'clusters.remove';

export function clusterHandlers({ workspace }: BackendContext): Pick<Handlers, ClusterMethods> {
  return {
    'clusters.list': () => workspace.list(),
    'clusters.create': ({ name }) => workspace.create(name),
    'clusters.get': ({ name }) => workspace.get(name),
    'clusters.save': ({ cluster }) => workspace.save(cluster),
    'clusters.remove': async ({ name }) => {
      await workspace.remove(name);
      return { removed: true as const };
    },
  };
}
