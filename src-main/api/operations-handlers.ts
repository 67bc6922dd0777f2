import type { operationMethods } from '../../src-shared/contract/operations';
import { OperationsService } from '../day2/service';
import type { DeployService } from '../deploy/service';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export function operationsService(ctx: BackendContext, deploy: DeployService): OperationsService {
  return new OperationsService({ workspace: ctx.workspace, cipher: ctx.cipher, deploy, emit: (e, p) => ctx.events.emit(e, p) });
}

export function operationHandlers(service: OperationsService): Pick<Handlers, keyof typeof operationMethods> {
  return {
    'ops.plan': ({ cluster, operation, waive }) => service.plan(cluster, operation, waive ?? []),
    'ops.start': async ({ cluster, operation, planHash, confirm, mode }) => ({
      runId: (await service.start(cluster, operation, { planHash, mode, ...(confirm !== undefined ? { confirm } : {}) })).runId,
    }),
    'ops.health': ({ cluster }) => service.health(cluster),
    'ops.lastRun': ({ cluster }) => service.lastRun(cluster),
    'ops.backups': ({ cluster }) => service.backups(cluster),
  };
}
