import type { OperationRequest } from '../../../../src-shared/contract/operations';
import type { Host } from '../../../../src-shared/model/cluster';
import type { MessageKey } from '../../i18n/en';

/** The title of an operation in words, with the host names the user knows rather than ids. */
export function describeOperation(
  request: OperationRequest,
  hosts: readonly Pick<Host, 'id' | 'name' | 'roles'>[],
): { key: MessageKey; params: Record<string, string> } {
  const nameOf = (id: string) => hosts.find((h) => h.id === id)?.name ?? id;
  switch (request.kind) {
    case 'backup':
      return { key: 'ops.title.backup', params: {} };
    case 'backup-schedule':
      return request.schedule === 'off'
        ? { key: 'ops.title.backupScheduleOff', params: {} }
        : { key: `ops.title.backupSchedule.${request.schedule}`, params: { keep: String(request.keep) } };
    case 'restore':
      return { key: 'ops.title.restore', params: { backup: request.backupId } };
    case 'etcd-membership':
      return { key: 'ops.title.membership', params: {} };
    case 'upgrade':
      return { key: 'ops.title.upgrade', params: { version: request.to } };
    case 'renew-certificates':
      return { key: 'ops.title.renew', params: {} };
    case 'rotate-ca':
      return { key: `ops.title.rotateCa.${request.stage}`, params: {} };
    case 'remove-host':
      return { key: 'ops.title.removeHost', params: { host: nameOf(request.hostId) } };
    case 'reset': {
      const withRoles = hosts.filter((h) => h.roles.length > 0);
      const whole = withRoles.length > 0 && withRoles.every((h) => request.hostIds.includes(h.id));
      return whole
        ? { key: 'ops.title.resetCluster', params: {} }
        : { key: 'ops.title.reset', params: { hosts: request.hostIds.map(nameOf).join(', ') } };
    }
  }
}

/** What the Hosts panel offers for a host: one holding roles is taken out first; one without can be reset. */
export function hostActions(host: Pick<Host, 'roles'>): Array<'remove-host' | 'reset'> {
  return host.roles.length > 0 ? ['remove-host', 'reset'] : ['reset'];
}
