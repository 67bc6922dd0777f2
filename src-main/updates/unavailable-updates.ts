import type { UpdateStatus } from '../../src-shared/contract/app';
import { KubesmithError } from '../../src-shared/errors';
import type { Updates } from './update-controller';

export const BROWSER_MODE_NO_UPDATER =
  'Browser mode has no updater: update Kubesmith by installing a new release, or with git pull where it runs from source.';
export const SOURCE_NO_UPDATER = 'This Kubesmith runs from its source (npm start): update it with git pull, not the updater.';

/** Where there is no updater (browser mode, the app run from source): every status says so, and why. */
export function unavailableUpdates(currentVersion: string, message: string): Updates {
  const status: UpdateStatus = {
    phase: 'unsupported',
    channel: 'latest',
    currentVersion,
    message,
    waitingFor: [],
    verificationFailed: false,
  };
  return {
    status: () => status,
    check: async () => status,
    restartToUpdate: () => {
      throw new KubesmithError('NoUpdater', message);
    },
    subscribe: () => () => {},
    announce: () => {},
  };
}
