import { appHandlers } from './api/app-handlers';
import { clusterHandlers } from './api/cluster-handlers';
import type { BackendContext } from './api/context';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher';
import { EventHub } from './api/event-hub';
import { inventoryHandlers } from './api/inventory-handlers';
import { promptHandlers } from './api/prompt-handlers';
import { terminalHandlers } from './api/terminal-handlers';
import { PromptBroker } from './prompts/prompt-broker';
import { TerminalSessions, type ShellOpener } from './terminals/terminal-sessions';
import { plainCipher, type SecretCipher } from './store/secret-cipher';
import { SecretStore } from './store/secret-store';
import { Workspace } from './store/workspace';
import { KubesmithError } from '../src-shared/errors';

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
  const workspace = new Workspace(opts.dataDir);
  const prompts = new PromptBroker(events);
  const openShell: ShellOpener = async () => {
    throw new KubesmithError('NotAvailable', 'Terminals are not wired to SSH yet.');
  };
  const context: BackendContext = {
    version: opts.version,
    mode: opts.mode,
    workspace,
    cipher: opts.cipher ?? plainCipher,
    secrets: new SecretStore(workspace, opts.cipher ?? plainCipher),
    events,
    prompts,
    terminals: new TerminalSessions(events, openShell),
    log,
  };
  const handlers: Handlers = {
    ...appHandlers(context),
    ...clusterHandlers(context),
    ...inventoryHandlers(context),
    ...promptHandlers(context),
    ...terminalHandlers(context),
  };
  return {
    dispatch: createDispatcher(handlers, log),
    events,
    context,
    close: async () => {
      prompts.cancelAll();
      context.terminals.closeAll();
    },
  };
}
