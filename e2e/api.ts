import WebSocket from 'ws';
import type { MethodInput, MethodName, MethodOutput } from '../src-shared/contract/api';
import type { RunningServer } from './browser-mode';

/** Calls the running browser-mode API over its WebSocket, for test setup that the UI test is not about. */
export async function apiCall<M extends MethodName>(server: RunningServer, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api?token=${server.token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  try {
    const reply = new Promise<string>((resolve) =>
      ws.on('message', (data) => {
        const text = String(data);
        if (JSON.parse(text).type === 'result') resolve(text);
      }),
    );
    ws.send(JSON.stringify({ type: 'call', id: 1, method, input }));
    const frame = JSON.parse(await reply);
    if (!frame.result.ok) throw new Error(`${method}: ${frame.result.error.name}: ${frame.result.error.message}`);
    return frame.result.value as MethodOutput<M>;
  } finally {
    ws.close();
  }
}

/** A new cluster holding one lab host, logged into as root with the lab key. */
export async function clusterWithLabHost(
  server: RunningServer,
  cluster: string,
  host: { name: string; address: string; rootKeyPath: string },
): Promise<void> {
  await apiCall(server, 'clusters.create', { name: cluster });
  await apiCall(server, 'hosts.upsert', {
    cluster,
    host: {
      name: host.name,
      address: host.address,
      port: 22,
      user: 'root',
      auth: { kind: 'key', keyPath: host.rootKeyPath, hasPassphrase: false },
      sudo: 'none',
      roles: [],
    },
  });
}
