import type { operationMethods } from '../../src-shared/contract/operations';
import { HeadlampTunnels } from '../day2/headlamp';
import { OperationsService } from '../day2/service';
import type { DeployService } from '../deploy/service';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export function operationsService(ctx: BackendContext, deploy: DeployService): OperationsService {
  return new OperationsService({ workspace: ctx.workspace, cipher: ctx.cipher, deploy, emit: (e, p) => ctx.events.emit(e, p) });
}

/** Headlamp tunnels over the cluster's shared SSH pool (the one the deploy and the terminals use). */
export function headlampTunnels(ctx: BackendContext, deploy: DeployService): HeadlampTunnels {
  return new HeadlampTunnels({
    transports: (cluster) => deploy.transportsFor(cluster),
    forward: (cluster, host, address, port) => ctx.connections.withHosts(cluster).forwardOut(host.id, address, port),
    log: ctx.log,
  });
}

export function operationHandlers(
  ctx: Pick<BackendContext, 'workspace'>,
  service: OperationsService,
  headlamp: HeadlampTunnels,
): Pick<Handlers, keyof typeof operationMethods> {
  return {
    'ops.openHeadlamp': async ({ cluster }) => headlamp.access(await ctx.workspace.get(cluster)),
    'ops.plan': ({ cluster, operation, waive }) => service.plan(cluster, operation, waive ?? []),
    'ops.start': async ({ cluster, operation, planHash, confirm, mode }) => ({
      runId: (await service.start(cluster, operation, { planHash, mode, ...(confirm !== undefined ? { confirm } : {}) })).runId,
    }),
    'ops.health': ({ cluster }) => service.health(cluster),
    'ops.lastRun': ({ cluster }) => service.lastRun(cluster),
    'ops.backups': ({ cluster }) => service.backups(cluster),
  };
}
