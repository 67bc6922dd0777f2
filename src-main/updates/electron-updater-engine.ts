import type { AppUpdater, ProgressInfo } from 'electron-updater';
import type { UpdateEngine } from './update-controller';
import type { UpdateChannel } from './versions';

/**
 * electron-updater driven by the UpdateController: nothing downloads or installs on its own.
 * The feed is the GitHub release feed from electron-builder.yml's `publish` (app-update.yml in the package);
 * electron-updater checks every download against the SHA-512 in latest.yml (beta.yml on the beta channel)
 * and, on Windows, the installer's signature against the publisher's.
 */
export function electronUpdaterEngine(updater: AppUpdater, channel: UpdateChannel): UpdateEngine {
  updater.autoDownload = false;
  // Installing on quit could replace the app in the middle of a deploy the quit was not meant to end.
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.allowPrerelease = channel === 'beta';
  updater.channel = channel;
  return {
    async check() {
      const result = await updater.checkForUpdates();
      return result?.isUpdateAvailable ? result.updateInfo : null;
    },
    async download(onProgress) {
      const listener = (progress: ProgressInfo) => onProgress(progress.percent);
      updater.on('download-progress', listener);
      try {
        await updater.downloadUpdate();
      } finally {
        updater.off('download-progress', listener);
      }
    },
    install() {
      updater.quitAndInstall(false, true);
    },
  };
}
