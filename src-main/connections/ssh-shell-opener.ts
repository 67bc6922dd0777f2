import { KubesmithError } from '../../src-shared/errors';
import type { ShellOpener } from '../terminals/terminal-sessions';
import type { ClusterConnections } from './cluster-connections';

/** Opens terminals on a cluster's hosts through its SSH pool. */
export function sshShellOpener(connections: ClusterConnections): ShellOpener {
  return async (cluster, hostId, { cols, rows }) => {
    const pool = await connections.forCluster(cluster);
    const host = connections.host(cluster, hostId);
    if (!host)
      throw new KubesmithError('HostNotFound', `The cluster "${cluster}" has no such host.`, 'It may have been removed; pick another.');
    const shell = await pool.openShell(hostId, { cols, rows, term: 'xterm-256color' });
    return {
      title: host.name,
      shell: {
        write: (data) => shell.write(data),
        resize: (c, r) => shell.resize(c, r),
        ack: (bytes) => shell.ack(bytes),
        onData: (listener) => void shell.onData(listener),
        onClose: (listener) => void shell.onClose((reason) => listener(reason)),
        close: () => shell.close(),
      },
    };
  };
}
