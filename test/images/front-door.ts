import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'corrupt-blob' }
  | { kind: 'alter-manifest' }
  /** Sends half of the next blob, then drops the connection. */
  | { kind: 'cut-blob' };

export interface FrontDoor {
  url: string;
  /** The next fault to play, once; cleared when played. */
  fault: Fault | undefined;
  /** Range headers of blob requests, in order. */
  ranges: string[];
  tokenRequests: URLSearchParams[];
  blobRequests: number;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for a public registry's front: it answers the OCI distribution API by passing requests to a
 * real registry, but only with a bearer token from its own token service (401 + WWW-Authenticate: Bearer realm,
 * service, scope otherwise), optionally only for a user name and password, and can damage one answer on request.
 */
export async function startFrontDoor(
  upstream: string,
  opts: { credentials?: { username: string; password: string } } = {},
): Promise<FrontDoor> {
  const TOKEN = 'test-token-' + Math.random().toString(36).slice(2);
  const state: Omit<FrontDoor, 'url' | 'close'> = { fault: undefined, ranges: [], tokenRequests: [], blobRequests: 0 };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(502).end(err.message);
      else res.destroy();
    });
  });
  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base());
    if (url.pathname === '/token') {
      state.tokenRequests.push(url.searchParams);
      if (opts.credentials) {
        const want = `Basic ${Buffer.from(`${opts.credentials.username}:${opts.credentials.password}`).toString('base64')}`;
        if (req.headers.authorization !== want) return void res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      }
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN }));
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      const repo = /^\/v2\/(.+)\/(?:manifests|blobs)\//.exec(url.pathname)?.[1] ?? '';
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="${base()}/token",service="front-door.test",scope="repository:${repo}:pull"`,
        'content-type': 'application/json',
      });
      return void res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    }
    const isBlob = url.pathname.includes('/blobs/');
    if (isBlob) {
      state.blobRequests++;
      if (req.headers.range) state.ranges.push(req.headers.range);
    }
    const headers: Record<string, string> = {};
    for (const h of ['accept', 'range']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
    const up = await fetch(`${upstream}${url.pathname}${url.search}`, { headers, redirect: 'follow' });
    const body = Buffer.from(await up.arrayBuffer());
    const out: Record<string, string> = {};
    for (const h of ['content-type', 'docker-content-digest', 'content-range']) {
      const v = up.headers.get(h);
      if (v) out[h] = v;
    }
    const fault = state.fault;
    if (fault?.kind === 'corrupt-blob' && isBlob && body.length > 0) {
      state.fault = undefined;
      body[body.length >> 1] = body[body.length >> 1]! ^ 0xff;
    } else if (fault?.kind === 'alter-manifest' && url.pathname.includes('/manifests/')) {
      state.fault = undefined;
      const altered = Buffer.concat([body, Buffer.from('\n')]);
      return void res.writeHead(up.status, { ...out, 'content-length': String(altered.length) }).end(altered);
    } else if (fault?.kind === 'cut-blob' && isBlob && body.length > 1) {
      state.fault = undefined;
      res.writeHead(up.status, { ...out, 'content-length': String(body.length) });
      res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.destroy(), 50));
      return;
    }
    res.writeHead(up.status, { ...out, 'content-length': String(body.length) }).end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: base(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
