import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Backend } from '../backend';
import { SECURITY_HEADERS } from '../security/csp';
import { hostPolicy, requestUrl, sameOriginPath, type HostPolicy } from './request-guard';
import { capConnections, DEFAULT_LIMITS, httpTimeoutOptions, startHeartbeat, type ServerLimits } from './server-limits';
import { readStaticFile } from './static-files';
import { TOKEN_COOKIE, tokenOf, tokensEqual } from './token';
import { serveApiOverWebSocket } from './ws-transport';

export type { ServerLimits } from './server-limits';

export const API_PATH = '/api';

export interface BrowserServerOptions {
  backend: Backend;
  rendererDir: string;
  token: string;
  host?: string;
  port?: number;
  /** Timeouts and caps; tests shorten them, the defaults suit a person with a few windows. */
  limits?: Partial<ServerLimits>;
}

export interface BrowserServer {
  /** The URL to open, token included. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

interface Served {
  opts: BrowserServerOptions;
  policy: HostPolicy;
  limits: ServerLimits;
}

/**
 * Browser mode: the built renderer and the API over WebSocket, on 127.0.0.1 by default.
 * Every request must name the bound address as Host and carry the token; no bytes a client sends end the process.
 */
export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const host = opts.host ?? '127.0.0.1';
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayloadBytes });
  const heartbeat = startHeartbeat(limits.heartbeatMs);
  // The policy needs the port, known only after listen; no request is handled before that.
  const ready: { served?: Served } = {};
  const server = createServer(httpTimeoutOptions(limits), (req, res) => {
    req.on('error', () => req.destroy());
    res.on('error', () => res.destroy());
    const served = ready.served;
    // A refused connection has its 503 on the way; the request it sent anyway gets nothing more.
    if (refused.has(req.socket)) return;
    if (!served) return void res.destroy();
    handleHttp(req, res, served).catch(() => answer(res, 500, 'Internal error'));
  });
  const refused = capConnections(server, limits.maxConnections);
  server.on('clientError', answerClientError);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const served = ready.served;
    if (refused.has(socket as Socket) || !served) return void socket.destroy();
    try {
      handleUpgrade(req, socket, head, wss, served, (ws) => {
        heartbeat.watch(ws);
        serveApiOverWebSocket(ws, opts.backend);
      });
    } catch {
      refuseUpgrade(socket, '500 Internal Server Error');
    }
  });
  wss.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  ready.served = { opts, policy: hostPolicy(host, port), limits };
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/?token=${opts.token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        heartbeat.stop();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' });
  res.end(text);
}

/** Bytes that are not HTTP, headers too large or too slow: a status line if the socket can still take one. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const status =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? '408 Request Timeout'
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : '400 Bad Request';
  refuseUpgrade(socket, status);
}

function refuseUpgrade(socket: Duplex, status: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

async function handleHttp(req: IncomingMessage, res: ServerResponse, { opts, policy }: Served): Promise<void> {
  // Before the token: a rebound name learns nothing, not even whether the token was right.
  if (!policy.allowsHost(req.headers.host)) return answer(res, 421, 'Misdirected Request');
  const url = requestUrl(req);
  if (!url) return answer(res, 400, 'Bad Request');
  if (!tokensEqual(tokenOf(req, url), opts.token)) return answer(res, 401, 'Unauthorized');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' });
    return void res.end();
  }
  if (url.searchParams.has('token')) {
    // Trade the token in the address bar for a cookie, so it does not stay in history or get copied along.
    res.writeHead(303, {
      Location: sameOriginPath(url.pathname),
      'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/`,
      'Cache-Control': 'no-store',
    });
    return void res.end();
  }
  const file = await readStaticFile(opts.rendererDir, url.pathname);
  if (!file) return answer(res, 404, 'Not found');
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

function handleUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  wss: WebSocketServer,
  { opts, policy, limits }: Served,
  serve: (ws: WebSocket) => void,
): void {
  if (!policy.allowsHost(req.headers.host)) return refuseUpgrade(socket, '421 Misdirected Request');
  const url = requestUrl(req);
  if (!url) return refuseUpgrade(socket, '400 Bad Request');
  if (!tokensEqual(tokenOf(req, url), opts.token)) return refuseUpgrade(socket, '401 Unauthorized');
  if (url.pathname !== API_PATH) return refuseUpgrade(socket, '404 Not Found');
  // A page on another site cannot open our socket even if the browser sends our cookie along.
  const origin = req.headers.origin;
  if (origin !== undefined && !policy.allowsOrigin(origin)) return refuseUpgrade(socket, '403 Forbidden');
  const full = wss.clients.size >= limits.maxWebSockets;
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => ws.terminate());
    // After the handshake, so the page's socket learns why (1013: try again later) instead of a bare failure.
    if (full) return ws.close(1013, 'Too many Kubesmith windows are open; close one and reload.');
    serve(ws);
  });
}
