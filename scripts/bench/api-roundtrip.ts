// API round trip through browser mode's WebSocket, against a bare WebSocket echo on the same
// machine in the same run: the ratio is what the contract's validation and dispatch cost.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { createBackend } from '../../src-main/backend';
import { startBrowserServer } from '../../src-main/server/browser-server';

const CALLS = 5000;

async function timeCalls(url: string, headers: Record<string, string>, frame: (id: number) => string): Promise<number> {
  const ws = new WebSocket(url, { headers });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const started = process.hrtime.bigint();
  for (let id = 1; id <= CALLS; id++) {
    const reply = new Promise((resolve) => ws.once('message', resolve));
    ws.send(frame(id));
    await reply;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  ws.close();
  return ms;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ks-bench-'));
  const backend = createBackend({ dataDir: dir, mode: 'browser', version: 'bench' });
  await backend.context.workspace.create('bench');
  const server = await startBrowserServer({ backend, rendererDir: dir, token: 'bench' });
  const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  echo.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
  await new Promise((resolve) => echo.once('listening', resolve));
  const echoPort = (echo.address() as { port: number }).port;

  const call = (id: number) => JSON.stringify({ type: 'call', id, method: 'clusters.get', input: { name: 'bench' } });
  const apiMs = await timeCalls(`ws://127.0.0.1:${server.port}/api`, { cookie: 'ks_token=bench' }, call);
  const echoMs = await timeCalls(`ws://127.0.0.1:${echoPort}`, {}, call);
  console.log(
    `api-roundtrip: ${CALLS} clusters.get calls, kubesmith ${((apiMs * 1000) / CALLS).toFixed(0)} µs/call, bare echo ${((echoMs * 1000) / CALLS).toFixed(0)} µs/call, ratio ${(apiMs / echoMs).toFixed(2)}`,
  );
  await server.close();
  echo.close();
  await rm(dir, { recursive: true, force: true });
}

void main();
