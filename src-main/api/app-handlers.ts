import type { AppInfo } from '../../src-shared/contract/api';
import type { Handlers } from './dispatcher';
import type { BackendContext } from './context';

export function appHandlers(ctx: BackendContext): Pick<Handlers, 'app.info'> {
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
