import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** A listening port on 127.0.0.1 whose every connection is carried to the far end by a fresh forwarded stream. */
export interface LocalTunnel {
  readonly port: number;
  readonly url: string;
  /** Connections carried so far (for tests and the log). */
  readonly connections: number;
  /** Stops listening and ends every connection still open. */
  close(): Promise<void>;
}

export interface LocalTunnelOptions {
  /** Opens one stream to the far end (an SSH forwardOut); a failure ends that one local connection only. */
  open: () => Promise<Duplex>;
  /** Told of a connection that could not be carried, for the log; the tunnel keeps listening. */
  onError?: (err: unknown) => void;
}

/**
 * Listens on loopback only (never on the LAN), on a port the OS picks, so nothing else on this computer's
 * network can use the cluster-admin session behind it.
 */
export async function openLocalTunnel(options: LocalTunnelOptions): Promise<LocalTunnel> {
  const live = new Set<Socket | Duplex>();
  let carried = 0;
  const server = createServer((socket) => {
    live.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => live.delete(socket));
    socket.pause();
    options.open().then(
      (remote) => {
        if (socket.destroyed) {
          remote.destroy();
          return;
        }
        carried++;
        live.add(remote);
        remote.on('error', (err: unknown) => {
          options.onError?.(err);
          socket.destroy();
        });
        remote.on('close', () => {
          live.delete(remote);
          socket.destroy();
        });
        socket.on('close', () => remote.destroy());
        socket.pipe(remote);
        remote.pipe(socket);
        socket.resume();
      },
      (err: unknown) => {
        options.onError?.(err);
        socket.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => options.onError?.(err));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    get connections() {
      return carried;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of live) s.destroy();
        server.close(() => resolve());
      }),
  };
}
