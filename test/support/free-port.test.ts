import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts, onFreePort } from './free-port';

const servers: Server[] = [];
const listenOn = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
    servers.push(server);
  });

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('servers on free ports', () => {
  it('picks distinct ports that can be bound', async () => {
    const ports = await freePorts(4);
    expect(new Set(ports).size).toBe(4);
    for (const port of ports) await listenOn(port);
  });

  it('starts again on another port when something took the picked one in between', async () => {
    const tried: number[] = [];
    const server = await onFreePort(async (port) => {
      tried.push(port);
      // Another test's socket binds the port first, as a connection from the same range can.
      if (tried.length === 1) await listenOn(port);
      return listenOn(port);
    });
    expect(tried).toHaveLength(2);
    expect(tried[1]).not.toBe(tried[0]);
    expect((server.address() as { port: number }).port).toBe(tried[1]);
  });

  it('throws any other failure at once, and a taken port after five tries', async () => {
    let calls = 0;
    await expect(
      onFreePort(() => {
        calls++;
        return Promise.reject(new Error('nginx: [emerg] unknown directive "lisen"'));
      }),
    ).rejects.toThrow(/unknown directive/);
    expect(calls).toBe(1);

    calls = 0;
    await expect(
      onFreePort(async (port) => {
        calls++;
        await listenOn(port);
        return listenOn(port);
      }),
    ).rejects.toThrow(/EADDRINUSE/);
    expect(calls).toBe(5);
  });
});
