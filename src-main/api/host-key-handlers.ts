import type { hostKeyMethods } from '../../src-shared/contract/host-keys';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export function hostKeyHandlers({ connections }: BackendContext): Pick<Handlers, keyof typeof hostKeyMethods> {
  return {
    'hostKeys.acceptChanged': async ({ cluster, hostId, fingerprint }) => {
      const pool = await connections.forCluster(cluster);
      await pool.replaceKnownHost(hostId, fingerprint);
      return { accepted: true as const };
    },
  };
}
