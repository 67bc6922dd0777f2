import type { AppInfo, appMethods } from '../../src-shared/contract/app';
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
  };
}
