import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** How long and how many: what keeps slow or numerous clients from wearing the server down. */
export interface ServerLimits {
  /** Time a client has to send a request's headers, counted from the connection or the previous request. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
  /** Every this often each WebSocket is pinged; one that has not answered the previous ping is terminated. */
  heartbeatMs: number;
  /** Open TCP connections (WebSockets included); one more is answered 503. */
  maxConnections: number;
  /** Open API sockets (one per app window); one more is closed with 1013 "try again later". */
  maxWebSockets: number;
  /** The largest WebSocket message; a bigger one closes the socket with 1009. */
  maxPayloadBytes: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  heartbeatMs: 30_000,
  maxConnections: 128,
  maxWebSockets: 16,
  // Above the contract's largest field (1 MiB of pasted text), with room for JSON escaping.
  maxPayloadBytes: 16 * 1024 * 1024,
};

/** Node's own timeouts for a server with these limits; it checks them every connectionsCheckingInterval. */
export function httpTimeoutOptions(limits: ServerLimits): {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
} {
  const requestTimeout = limits.requestTimeoutMs;
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(limits.headersTimeoutMs, requestTimeout);
  return {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
}

const TOO_MANY_CONNECTIONS =
  'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\nContent-Type: text/plain; charset=utf-8\r\n' +
  'Content-Length: 21\r\n\r\nToo many connections\n';

/**
 * Counts open connections and answers one over the cap with 503. Returns the refused sockets, which the request and
 * upgrade handlers must leave alone.
 */
export function capConnections(server: Server, max: number): WeakSet<Socket> {
  const refused = new WeakSet<Socket>();
  let open = 0;
  server.on('connection', (socket: Socket) => {
    socket.on('error', () => socket.destroy());
    open++;
    socket.once('close', () => open--);
    if (open <= max) return;
    refused.add(socket);
    socket.end(TOO_MANY_CONNECTIONS);
    // A client that never closes its side does not keep the slot.
    socket.setTimeout(2_000, () => socket.destroy());
  });
  return refused;
}

export interface Heartbeat {
  watch(socket: WebSocket): void;
  stop(): void;
}

/** Pings every watched socket each interval and terminates the ones that did not answer the previous ping. */
export function startHeartbeat(intervalMs: number): Heartbeat {
  const sockets = new Set<WebSocket>();
  const answered = new WeakSet<WebSocket>();
  const timer = setInterval(() => {
    for (const socket of sockets) {
      if (!answered.has(socket)) {
        socket.terminate();
        continue;
      }
      answered.delete(socket);
      try {
        socket.ping();
      } catch {
        socket.terminate();
      }
    }
  }, intervalMs);
  timer.unref();
  return {
    watch: (socket) => {
      sockets.add(socket);
      answered.add(socket);
      socket.on('pong', () => answered.add(socket));
      socket.once('close', () => sockets.delete(socket));
    },
    stop: () => clearInterval(timer),
  };
}
