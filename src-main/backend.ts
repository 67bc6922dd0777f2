import { appHandlers } from './api/app-handlers';
import { clusterHandlers } from './api/cluster-handlers';
import type { BackendContext } from './api/context';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher';
import { deployHandlers, deployService } from './api/deploy-handlers';
import { EventHub } from './events/event-hub';
import { hostKeyHandlers } from './api/host-key-handlers';
import { inventoryHandlers } from './api/inventory-handlers';
import { headlampTunnels, operationHandlers, operationsService } from './api/operations-handlers';
import { pkiHandlers } from './api/pki-handlers';
import { bundleHandlers } from './api/bundle-handlers';
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
import { BROWSER_MODE_NO_UPDATER, SOURCE_NO_UPDATER, unavailableUpdates } from './updates/unavailable-updates';
import type { Updates } from './updates/update-controller';

export interface BackendOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  version: string;
  cipher?: SecretCipher;
  log?: (msg: string) => void;
  /** The desktop app's updater; without one, the app says why there is none. */
  updates?: Updates;
}

export interface Backend {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly context: BackendContext;
  /** Clusters with a deploy or a day-2 operation running now. */
  activeRuns(): string[];
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
  const updates = opts.updates ?? unavailableUpdates(opts.version, opts.mode === 'browser' ? BROWSER_MODE_NO_UPDATER : SOURCE_NO_UPDATER);
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
    updates,
  };
  const keyPool = new KeyPool({ onError: (err) => log(`PKI key pool stopped: ${err instanceof Error ? err.message : String(err)}`) });
  const deploys = deployService(context, { pkiDeps: { generateKeyPair: keyPool.generator, now: () => new Date() } });
  const headlamp = headlampTunnels(context, deploys);
  const handlers: Handlers = {
    ...appHandlers(context),
    ...bundleHandlers(context),
    ...clusterHandlers(context),
    ...deployHandlers(context, deploys),
    ...hostKeyHandlers(context),
    ...inventoryHandlers(context, { probe: sshProber(connections) }),
    ...operationHandlers(context, operationsService(context, deploys), headlamp),
    ...pkiHandlers(context, keyPool),
    ...promptHandlers(context),
    ...terminalHandlers(context),
  };
  updates.subscribe((status) => events.emit('app.update', status));
  // A finished run may free a downloaded update's "Restart to update"; the run leaves the active list just after.
  events.subscribe((event) => {
    if ((event === 'deploy.run' || event === 'ops.finished') && updates.status().phase === 'ready') setImmediate(() => updates.announce());
  });
  return {
    dispatch: createDispatcher(handlers, log),
    events,
    context,
    activeRuns: () => deploys.runningClusters(),
    close: async () => {
      prompts.cancelAll();
      await deploys.close();
      await headlamp.closeAll();
      context.terminals.closeAll();
      await connections.closeAll();
      await keyPool.close();
    },
  };
}
