import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalTunnel, type LocalTunnel } from '../../src-main/connections/local-tunnel';
import { host, makeKey, makePool, type KeyPair, type PoolHarness } from './fixtures/harness';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';

explainSkip(sshdAvailable, sshdMissingReason, it.skip);

/**
 * The Headlamp tunnel's transport: a loopback port on this computer whose connections the SSH server opens onward
 * (direct-tcpip, as to a Service's ClusterIP from a master). Here the far end is a small HTTP server on loopback.
 */
describe.skipIf(!sshdAvailable)('local tunnel over a real sshd (forwardOut)', () => {
  let sshd: TestSshd;
  let noForwarding: TestSshd;
  let dir: string;
  let key: KeyPair;
  let h: PoolHarness;
  let web: Server;
  let webPort: number;
  const tunnels: LocalTunnel[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-tunnel-'));
    sshd = await startSshd({});
    noForwarding = await startSshd({ allowTcpForwarding: false });
    key = makeKey(dir, 'id_ed25519', 'ed25519');
    await sshd.authorize('root', key.publicKey);
    await noForwarding.authorize('root', key.publicKey);
    const auth = { kind: 'key' as const, keyPath: key.privatePath, hasPassphrase: false };
    h = await makePool([
      host({ id: 'm1', address: '127.0.0.1', port: sshd.port, auth }),
      host({ id: 'closed', address: '127.0.0.1', port: noForwarding.port, auth }),
    ]);
    web = createServer((req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`headlamp stand-in: ${req.method} ${req.url} auth=${req.headers.authorization ?? '-'}`);
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    webPort = (web.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const t of tunnels) await t.close();
    await new Promise<void>((resolve) => web?.close(() => resolve()));
    await h?.close();
    await sshd?.stop();
    await noForwarding?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('carries HTTP requests to the far end, one forwarded stream per connection, on 127.0.0.1 only', async () => {
    const errors: unknown[] = [];
    const tunnel = await openLocalTunnel({ open: () => h.pool.forwardOut('m1', '127.0.0.1', webPort), onError: (e) => errors.push(e) });
    tunnels.push(tunnel);
    expect(tunnel.url).toBe(`http://127.0.0.1:${tunnel.port}/`);
    const first = await fetch(`${tunnel.url}index.html`, { headers: { authorization: 'Bearer t0ken' } });
    expect(await first.text()).toBe('headlamp stand-in: GET /index.html auth=Bearer t0ken');
    const many = await Promise.all(
      Array.from({ length: 5 }, (_, i) => fetch(`${tunnel.url}api/${i}`, { headers: { connection: 'close' } }).then((r) => r.text())),
    );
    expect(many).toEqual(Array.from({ length: 5 }, (_, i) => `headlamp stand-in: GET /api/${i} auth=-`));
    expect(tunnel.connections).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it('ends a connection whose target refuses, tells the log, and keeps serving the next one', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    let target = deadPort;
    const errors: unknown[] = [];
    const tunnel = await openLocalTunnel({ open: () => h.pool.forwardOut('m1', '127.0.0.1', target), onError: (e) => errors.push(e) });
    tunnels.push(tunnel);
    await expect(fetch(tunnel.url)).rejects.toThrow();
    expect(String(errors[0])).toMatch(/could not open a connection to 127\.0\.0\.1:\d+/);
    target = webPort;
    expect(await (await fetch(tunnel.url)).text()).toBe('headlamp stand-in: GET / auth=-');
  });

  it('says so when the SSH server does not allow TCP forwarding', async () => {
    await expect(h.pool.forwardOut('closed', '127.0.0.1', webPort)).rejects.toMatchObject({
      name: 'TunnelRefused',
      hint: expect.stringContaining('AllowTcpForwarding'),
    });
  });

  it('stops listening and ends open connections when closed', async () => {
    const tunnel = await openLocalTunnel({ open: () => h.pool.forwardOut('m1', '127.0.0.1', webPort) });
    expect((await fetch(tunnel.url)).status).toBe(200);
    await tunnel.close();
    await expect(fetch(tunnel.url)).rejects.toThrow();
  });
});
