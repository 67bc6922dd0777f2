import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Backend } from '../backend';
import { SECURITY_HEADERS } from '../security/csp';
import { readStaticFile } from './static-files';
import { TOKEN_COOKIE, tokenOf, tokensEqual } from './token';
import { serveApiOverWebSocket } from './ws-transport';

export const API_PATH = '/api';

export interface BrowserServerOptions {
  backend: Backend;
  rendererDir: string;
  token: string;
  host?: string;
  port?: number;
}

export interface BrowserServer {
  /** The URL to open, token included. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Browser mode: the built renderer and the API over WebSocket, on 127.0.0.1 by default.
 * Every request must carry the token; without it the answer is a bare 401.
 */
export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const host = opts.host ?? '127.0.0.1';
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const server = createServer((req, res) => {
    void handleHttp(req, res, opts).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal error');
    });
  });
  server.on('upgrade', (req, socket, head) => handleUpgrade(req, socket, head, wss, opts));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/?token=${opts.token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost');
}

function unauthorized(res: ServerResponse): void {
  res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('Unauthorized');
}

async function handleHttp(req: IncomingMessage, res: ServerResponse, opts: BrowserServerOptions): Promise<void> {
  const url = requestUrl(req);
  if (!tokensEqual(tokenOf(req, url), opts.token)) return unauthorized(res);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' });
    return void res.end();
  }
  if (url.searchParams.has('token')) {
    // Trade the token in the address bar for a cookie, so it does not stay in history or get copied along.
    res.writeHead(303, {
      Location: url.pathname,
      'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/`,
      'Cache-Control': 'no-store',
    });
    return void res.end();
  }
  const file = await readStaticFile(opts.rendererDir, url.pathname);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end('Not found');
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, wss: WebSocketServer, opts: BrowserServerOptions): void {
  const url = requestUrl(req);
  const refuse = (status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  if (!tokensEqual(tokenOf(req, url), opts.token)) return refuse('401 Unauthorized');
  if (url.pathname !== API_PATH) return refuse('404 Not Found');
  // A page on another site cannot open our socket even if the browser sends our cookie along.
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) return refuse('403 Forbidden');
  wss.handleUpgrade(req, socket, head, (ws) => serveApiOverWebSocket(ws, opts.backend));
}
