import type { About, AppInfo, appMethods } from '../../src-shared/contract/app';
import type { Handlers } from './dispatcher';
import type { BackendContext } from './context';

export function appHandlers(ctx: BackendContext): Pick<Handlers, keyof typeof appMethods> {
  return {
    'app.info': async (): Promise<AppInfo> => ({
      name: 'Kubesmith',
      version: ctx.version,
      mode: ctx.mode,
      dataDir: ctx.workspace.dataDir,
      secretProtection: ctx.cipher.description,
      secretsEncryptedAtRest: ctx.cipher.encryptsAtRest,
    }),
    'app.about': async (): Promise<About> => ({
      name: 'Kubesmith',
      version: ctx.version,
      mode: ctx.mode,
      // process.versions carries electron and chrome only inside Electron.
      electron: process.versions.electron ?? null,
      chromium: process.versions.chrome ?? null,
      node: process.versions.node,
      dataDir: ctx.workspace.dataDir,
      update: ctx.updates.status(),
    }),
    'app.checkForUpdates': () => ctx.updates.check(),
    'app.restartToUpdate': async () => ctx.updates.restartToUpdate(),
  };
}
