import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, Host } from '../../src-shared/model/cluster';
import { FakeHost, fakeProvider } from '../../test/support/deploy/fake-transport';
import { labCluster } from '../../test/support/deploy/fixtures';
import { HeadlampTunnels, serviceIpCommand, tokenCommand } from './headlamp';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl';

describe('Headlamp access: the commands run on a master', () => {
  it('mints a token of headlamp-admin in the headlamp namespace for an hour, with the admin kubeconfig', () => {
    expect(tokenCommand().command).toBe(
      '/usr/local/bin/kubectl --kubeconfig=/etc/kubernetes/admin.conf -n headlamp create token headlamp-admin --duration=60m',
    );
    expect(tokenCommand(15).command).toMatch(/ --duration=15m$/);
    expect(() => tokenCommand(5)).toThrow(/out of range/);
    expect(() => tokenCommand(1.5)).toThrow(/out of range/);
  });

  it("reads the Service's ClusterIP, and both commands are valid sh", () => {
    expect(serviceIpCommand().command).toBe(
      "/usr/local/bin/kubectl --kubeconfig=/etc/kubernetes/admin.conf -n headlamp get service headlamp -o 'jsonpath={.spec.clusterIP}' --request-timeout=10s",
    );
    for (const c of [tokenCommand(), serviceIpCommand()]) expect(spawnSync('sh', ['-n', '-c', c.command]).status).toBe(0);
  });
});

describe('Headlamp access: token and tunnel', () => {
  let web: Server;
  let webPort: number;
  beforeAll(async () => {
    web = createServer((_req, res) => res.end('headlamp'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    webPort = (web.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => web.close(() => resolve())));

  /** Hosts answering the two kubectl commands; the forward goes to the local web server and records its target. */
  function setup(answers: { ip?: string; ipCode?: number; token?: string; down?: string[] } = {}) {
    const cluster: Cluster = {
      ...labCluster(4),
      settings: { ...labCluster(4).settings, addons: { coredns: true, metricsServer: true, headlamp: true } },
    };
    const hosts = new Map(
      cluster.hosts.map((h) => [
        h.id,
        new FakeHost(h.id, (cmd) => {
          if (answers.down?.includes(h.id)) throw new Error(`${h.id} unreachable`);
          if (cmd === serviceIpCommand().command)
            return {
              code: answers.ipCode ?? 0,
              stdout: `${answers.ip ?? '10.96.140.7'}`,
              stderr: answers.ipCode ? 'Error from server (NotFound)' : '',
            };
          if (cmd === tokenCommand().command) return { stdout: `${answers.token ?? JWT}\n` };
          return { code: 99 };
        }),
      ]),
    );
    const forwarded: string[] = [];
    const tunnels = new HeadlampTunnels({
      transports: () => fakeProvider(hosts),
      forward: async (_c, host: Host, address, port) => {
        forwarded.push(`${host.id}>${address}:${port}`);
        const s = connect(webPort, '127.0.0.1');
        await new Promise((resolve) => s.once('connect', resolve));
        return s;
      },
      now: () => new Date('2026-12-05T10:00:00Z'),
    });
    return { cluster, hosts, tunnels, forwarded };
  }

  it('returns a loopback URL that reaches Headlamp through the first master, the token, and when it expires', async () => {
    const { cluster, tunnels, forwarded, hosts } = setup();
    const access = await tunnels.access(cluster);
    expect(access).toMatchObject({ token: JWT, expiresAt: '2026-12-05T11:00:00.000Z', via: 'node1' });
    expect(access.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(access.url)).text()).toBe('headlamp');
    expect(forwarded.every((f) => f === 'h1>10.96.140.7:80')).toBe(true);
    expect(hosts.get('h1')!.commands).toEqual([serviceIpCommand().command, tokenCommand().command]);
    // A second visit mints a new token and keeps the same tunnel.
    expect((await tunnels.access(cluster)).url).toBe(access.url);
    await tunnels.closeAll();
    await expect(fetch(access.url)).rejects.toThrow();
  });

  it('goes through the next master when the first cannot be reached', async () => {
    const { cluster, tunnels } = setup({ down: ['h1'] });
    expect((await tunnels.access(cluster)).via).toBe('node2');
    await tunnels.closeAll();
  });

  it('says what is wrong: add-on off, Service missing, no token', async () => {
    const off = setup();
    await expect(off.tunnels.access(labCluster(4))).rejects.toMatchObject({ name: 'HeadlampNotInstalled' });
    const missing = setup({ ipCode: 1, ip: '' });
    await expect(missing.tunnels.access(missing.cluster)).rejects.toMatchObject({
      name: 'HeadlampNotRunning',
      message: expect.stringContaining('NotFound'),
    });
    const garbage = setup({ ip: '10.96.0.1; rm -rf /' });
    await expect(garbage.tunnels.access(garbage.cluster)).rejects.toMatchObject({ name: 'HeadlampNotRunning' });
    const noToken = setup({ token: 'error: serviceaccounts "headlamp-admin" not found' });
    await expect(noToken.tunnels.access(noToken.cluster)).rejects.toMatchObject({ name: 'HeadlampTokenFailed' });
    expect(noToken.forwarded).toEqual([]);
  });
});
