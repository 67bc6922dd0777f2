import { isAbsolute, join } from 'node:path';
import type { bundleMethods } from '../../src-shared/contract/bundle';
import { KubesmithError } from '../../src-shared/errors';
import { buildBundles } from '../bundle/build';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export function bundleHandlers({ workspace, events }: BackendContext): Pick<Handlers, keyof typeof bundleMethods> {
  return {
    'bundle.make': async ({ taskId, versions, cni, addons, arches, out, mirrors, binaryMirror }) => {
      if (!isAbsolute(out))
        throw new KubesmithError(
          'BundleRequestInvalid',
          `"${out}" is not an absolute folder path.`,
          'Pick the folder the bundle goes into, e.g. /srv/kubesmith-bundle.',
        );
      const emit = (label: string, done: number, total: number, state: 'running' | 'succeeded' | 'failed') =>
        events.emit('progress', { taskId, label, done, total, state });
      try {
        const bundles = await buildBundles(
          {
            versions,
            cni,
            addons,
            arches,
            out,
            mirrors: Object.fromEntries(Object.entries(mirrors).filter((e): e is [string, string] => typeof e[1] === 'string')),
            binaries: binaryMirror ? { kind: 'mirror', prefix: binaryMirror } : { kind: 'official' },
            cacheDir: join(workspace.dataDir, 'cache', 'binaries'),
          },
          (p) => emit(`${p.stage}: ${p.message} · ${(p.bytes / 1e6).toFixed(1)} MB`, p.done, p.total, 'running'),
        );
        emit(`${bundles.length} bundle(s) complete`, 1, 1, 'succeeded');
        return { bundles };
      } catch (err) {
        emit(err instanceof Error ? err.message : String(err), 0, 1, 'failed');
        throw err;
      }
    },
  };
}
