import { appHandlers } from './api/app-handlers';
import { clusterHandlers } from './api/cluster-handlers';
import type { BackendContext } from './api/context';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher';
import { deployHandlers, deployService } from './api/deploy-handlers';
import { EventHub } from './api/event-hub';
import { hostKeyHandlers } from './api/host-key-handlers';
import { inventoryHandlers } from './api/inventory-handlers';
import { operationHandlers, operationsService } from './api/operations-handlers';
import { pkiHandlers } from './api/pki-handlers';
import { promptHandlers } from './api/prompt-handlers';
import { terminalHandlers } from './api/terminal-handlers';
import { KeyPool } from './pki';
import { PromptBroker } from './prompts/prompt-broker';
import { TerminalSessions } from './terminals/terminal-sessions';
import { ClusterConnections } from './connections/cluster-connections';
import { sshProber } from './connections/ssh-prober';
import { sshShellOpener } from './connections/ssh-shell-opener';
import { plainCipher, type SecretCipher } from './store/secret-cipher';
import { SecretStore } from './store/secret-store';
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
  const workspace = new Workspace(opts.dataDir);
  const prompts = new PromptBroker(events);
  const cipher = opts.cipher ?? plainCipher;
  const secrets = new SecretStore(workspace, cipher);
  const connections = new ClusterConnections({ workspace, secrets, prompts });
  const context: BackendContext = {
    version: opts.version,
    mode: opts.mode,
    workspace,
    cipher,
    secrets,
    events,
    prompts,
    connections,
    terminals: new TerminalSessions(events, sshShellOpener(connections)),
    log,
  };
  const keyPool = new KeyPool({ onError: (err) => log(`PKI key pool stopped: ${err instanceof Error ? err.message : String(err)}`) });
  const deploys = deployService(context, { pkiDeps: { generateKeyPair: keyPool.generator, now: () => new Date() } });
  const handlers: Handlers = {
    ...appHandlers(context),
    ...clusterHandlers(context),
    ...deployHandlers(context, deploys),
    ...hostKeyHandlers(context),
    ...inventoryHandlers(context, { probe: sshProber(connections) }),
    ...operationHandlers(operationsService(context, deploys)),
    ...pkiHandlers(context, keyPool),
    ...promptHandlers(context),
    ...terminalHandlers(context),
  };
  return {
    dispatch: createDispatcher(handlers, log),
    events,
    context,
    close: async () => {
      prompts.cancelAll();
      await deploys.close();
      context.terminals.closeAll();
      await connections.closeAll();
      await keyPool.close();
    },
  };
}
