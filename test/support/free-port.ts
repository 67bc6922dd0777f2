import { createServer, type Server } from 'node:net';

/** How nginx, sshd and Go servers (docker-registry, etcd) all word a bind to a taken port (errno EADDRINUSE). */
export const PORT_TAKEN = /address already in use/i;
const TRIES = 5;

function listening(address: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => resolve(server));
  });
}

/** Ports the kernel calls free on the address now, held together while picked so they differ, then released. */
export async function freePorts(count: number, address = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => listening(address)));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export async function freePort(address = '127.0.0.1'): Promise<number> {
  const [port] = await freePorts(1, address);
  return port!;
}

/**
 * Starts servers on ports picked just before, and on other ports when one was taken in between: a port the kernel
 * called free stays free only until something binds it, and the tests running beside this one open connections whose
 * local ports come from the same range. `start` rejects with the server's own words, so a taken port is told apart
 * from any other failure (which is thrown at once).
 */
export async function onFreePorts<T>(count: number, start: (ports: number[]) => Promise<T>, address = '127.0.0.1'): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(count, address);
    try {
      return await start(ports);
    } catch (err) {
      if (attempt >= TRIES || !PORT_TAKEN.test(err instanceof Error ? err.message : String(err))) throw err;
    }
  }
}

export function onFreePort<T>(start: (port: number) => Promise<T>, address = '127.0.0.1'): Promise<T> {
  return onFreePorts(1, ([port]) => start(port!), address);
}
