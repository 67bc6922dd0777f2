import { appHandlers } from './api/app-handlers';
import { clusterHandlers } from './api/cluster-handlers';
import type { BackendContext } from './api/context';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher';
import { EventHub } from './api/event-hub';
import { plainCipher, type SecretCipher } from './store/secret-cipher';
import { Workspace } from './store/workspace';

export interface BackendOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  version: string;
  cipher?: SecretCipher;
  log?: (msg: string) => void;
}

export interface Backend {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly context: BackendContext;
  close(): Promise<void>;
}

/** Everything the app does, independent of how the renderer reaches it. The transports only wire this up. */
export function createBackend(opts: BackendOptions): Backend {
  const log = opts.log ?? ((msg: string) => console.error(msg));
  const events = new EventHub();
  const context: BackendContext = {
    version: opts.version,
    mode: opts.mode,
    workspace: new Workspace(opts.dataDir),
    cipher: opts.cipher ?? plainCipher,
    events,
    log,
  };
  const handlers: Handlers = {
    ...appHandlers(context),
    ...clusterHandlers(context),
  };
  return {
    dispatch: createDispatcher(handlers, log),
    events,
    context,
    close: async () => {},
  };
}
