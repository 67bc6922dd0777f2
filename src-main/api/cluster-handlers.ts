import type { clusterMethods } from '../../src-shared/contract/clusters';
import type { Handlers } from './dispatcher';
import type { BackendContext } from './context';

export function clusterHandlers({ workspace }: BackendContext): Pick<Handlers, keyof typeof clusterMethods> {
  return {
    'clusters.list': () => workspace.list(),
    'clusters.create': async ({ name }) => {
      const cluster = await workspace.create(name);
      // A machine without internet (an air-gapped site, the test lab) names its offline bundle once for every new cluster.
      const bundle = process.env.KUBESMITH_OFFLINE_BUNDLE;
      if (!bundle) return cluster;
      return workspace.update(name, (current) => ({
        ...current,
        settings: { ...current.settings, binarySource: { kind: 'offline', folder: bundle } },
      }));
    },
    'clusters.get': ({ name }) => workspace.get(name),
    'clusters.save': ({ cluster }) => workspace.replace(cluster),
    'clusters.readFile': async ({ name }) => ({ path: workspace.clusterFile(name), text: await workspace.readText(name) }),
    'clusters.repair': ({ name, text }) => workspace.repair(name, text),
    'clusters.remove': async ({ name }) => {
      await workspace.remove(name);
      return { removed: true as const };
    },
  };
}
