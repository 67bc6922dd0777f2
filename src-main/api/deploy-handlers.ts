import type { deployMethods } from '../../src-shared/contract/deploy';
import { planForView } from '../../src-shared/model/plan';
import type { TransportProvider } from '../deploy/engine/transport';
import { DeployService } from '../deploy/service';
import { sshTransports } from '../deploy/ssh-transport';
import type { Cluster } from '../../src-shared/model/cluster';
import type { PkiDeps } from '../pki';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export interface DeployHandlerOptions {
  /** How a run reaches its hosts; by default the cluster's shared SSH pool (ctx.connections). */
  transports?: (cluster: Cluster) => TransportProvider;
  /** Keys for the deploy's certificates step (the app's key pool). */
  pkiDeps?: PkiDeps;
  /**
   * How artifacts travel. The relay needs real hosts (systemd-run, nginx, curl), so it is the default with the SSH
   * pool only; injected transports (tests' stand-in hosts) upload directly unless told otherwise.
   */
  transfer?: 'relay' | 'direct';
}

export function deployService(ctx: BackendContext, opts: DeployHandlerOptions = {}): DeployService {
  // The cluster's shared SSH pool: the host keys and secrets the user gave on other screens count here too.
  // It outlives the run, so the run's end does not close it.
  const transports = opts.transports ?? ((cluster: Cluster) => sshTransports(ctx.connections.withHosts(cluster)));
  return new DeployService({
    workspace: ctx.workspace,
    cipher: ctx.cipher,
    emit: (e, p) => ctx.events.emit(e, p),
    transports,
    transfer: opts.transfer ?? (opts.transports ? 'direct' : 'relay'),
    ...(opts.pkiDeps ? { pkiDeps: opts.pkiDeps } : {}),
    log: ctx.log,
  });
}

export function deployHandlers(ctx: BackendContext, service = deployService(ctx)): Pick<Handlers, keyof typeof deployMethods> {
  return {
    'deploy.plan': async ({ cluster, waive }) => {
      const { plan } = await service.plan(cluster, waive ?? []);
      return { ...planForView(plan), unchanged: await service.unchangedSteps(cluster, plan) };
    },
    'deploy.diff': ({ cluster, stepId }) => service.diff(cluster, stepId),
    'deploy.start': async ({ cluster, mode, concurrency, stopAfter, planHash, waive }) => {
      const { runId } = await service.start(cluster, {
        mode,
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(stopAfter !== undefined ? { stopAfter } : {}),
        ...(planHash !== undefined ? { planHash } : {}),
        ...(waive !== undefined ? { waive } : {}),
      });
      return { runId };
    },
    'deploy.retryStep': async ({ cluster, hostId, stepId }) => ({
      runId: (await service.start(cluster, { mode: 'retry', retry: { hostId, stepId } })).runId,
    }),
    'deploy.cancel': async ({ cluster }) => ({ cancelled: service.cancel(cluster) }),
    'deploy.status': ({ cluster }) => service.status(cluster),
    'deploy.timings': ({ cluster }) => service.timings(cluster),
    'deploy.logs': async ({ cluster, hostId }) => service.hostLogs(cluster, hostId),
    'deploy.exportKubeconfig': ({ cluster, target }) => service.exportKubeconfig(cluster, target),
  };
}
