import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeCodeIn, frame, rawConnect, rawGet, rawWebSocket } from '../../test/support/raw-http';
import { createBackend, type Backend } from '../backend';
import { startBrowserServer, type BrowserServer, type ServerLimits } from './browser-server';

const token = 'hostile-test-token-0123456789';
const cookie = `ks_token=${token}`;

let root: string;
const running: { server: BrowserServer; backend: Backend }[] = [];

async function start(limits?: Partial<ServerLimits>): Promise<BrowserServer> {
  const backend = createBackend({ dataDir: join(root, `data-${running.length}`), mode: 'browser', version: '0.0.0-test', log: () => {} });
  const server = await startBrowserServer({ backend, rendererDir: join(root, 'renderer'), token, limits });
  running.push({ server, backend });
  return server;
}

/** The server still serves the app to an authenticated client. */
async function stillServes(server: BrowserServer): Promise<void> {
  const res = await rawGet(server.port, '/', { Host: `127.0.0.1:${server.port}`, Cookie: cookie });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ks-hostile-'));
  await mkdir(join(root, 'renderer'), { recursive: true });
  await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html><title>app</title>');
});
afterAll(async () => {
  for (const { server, backend } of running) {
    await server.close();
    await backend.close();
  }
  await rm(root, { recursive: true, force: true });
});

describe('malformed cookies and request lines', () => {
  let server: BrowserServer;
  beforeAll(async () => {
    server = await start();
  });

  it('answers a cookie with broken percent-encoding with 401, on a page and on the socket', async () => {
    for (const bad of ['ks_token=%', 'ks_token=%E0%A4%A', 'ks_token=%zz; other=1']) {
      const res = await rawGet(server.port, '/', { Host: `127.0.0.1:${server.port}`, Cookie: bad });
      expect(res.status, bad).toBe(401);
      const conn = await rawConnect(server.port);
      conn.socket.write(
        `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: ${bad}\r\n\r\n`,
      );
      expect((await conn.waitFor('\r\n\r\n')).split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    }
    await stillServes(server);
  });

  it('answers request targets the URL parser refuses with a 4xx, on a page and on the socket', async () => {
    const page = await rawGet(server.port, '//', { Host: `127.0.0.1:${server.port}`, Cookie: cookie });
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.status).toBeLessThan(500);
    const conn = await rawConnect(server.port);
    conn.socket.write(
      `GET // HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: ${cookie}\r\n\r\n`,
    );
    expect((await conn.waitFor('\r\n\r\n')).split('\r\n')[0]).toMatch(/^HTTP\/1\.1 4\d\d /);
    await stillServes(server);
  });

  it('answers bytes that are not HTTP with 400 and stays up', async () => {
    const conn = await rawConnect(server.port);
    conn.socket.write('\x00\x01garbage that is not a request\r\n\r\n');
    expect((await conn.waitFor('\r\n')).split('\r\n')[0]).toMatch(/^HTTP\/1\.1 400 /);
    await stillServes(server);
  });
});

describe('WebSocket protocol errors from an authenticated client', () => {
  let server: BrowserServer;
  beforeAll(async () => {
    server = await start();
  });

  const cases: [string, Buffer, number][] = [
    ['a text frame announcing more than the payload limit', frame({ opcode: 0x1, announcedLength: 17 * 1024 * 1024 }), 1009],
    ['a text frame that is not UTF-8', frame({ opcode: 0x1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }), 1007],
    ['an unmasked frame', frame({ opcode: 0x1, payload: Buffer.from('{}'), masked: false }), 1002],
    ['a reserved opcode', frame({ opcode: 0x3, payload: Buffer.from('x') }), 1002],
    ['a fragmented control frame', frame({ opcode: 0x9, payload: Buffer.from('x'), fin: false }), 1002],
  ];
  for (const [what, bytes, code] of cases) {
    it(`closes the socket with ${code} on ${what} and keeps serving`, async () => {
      const conn = await rawWebSocket(server.port, { Cookie: cookie });
      conn.socket.write(bytes);
      await conn.closed;
      expect(closeCodeIn(conn.received())).toBe(code);
      await stillServes(server);
    });
  }
});

describe('frames that are not API calls', () => {
  it('answers with id -1 when the frame carries an id the wire cannot echo, and binary frames too', async () => {
    const server = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers: { cookie } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const replies: unknown[] = [];
    const two = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        replies.push(JSON.parse(String(data)));
        if (replies.length === 2) resolve();
      }),
    );
    ws.send(JSON.stringify({ type: 'call', id: 2 ** 60, method: 'app.info', input: {} }));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await two;
    ws.close();
    for (const reply of replies) {
      expect(reply).toMatchObject({ type: 'result', id: -1, result: { ok: false, error: { name: 'InvalidRequest' } } });
    }
  });
});

describe('Host and Origin: only the address the server is bound to', () => {
  let server: BrowserServer;
  beforeAll(async () => {
    server = await start();
  });

  it('serves Host 127.0.0.1:PORT and localhost:PORT and refuses every other Host with 421', async () => {
    const port = server.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await rawGet(port, '/', { Host: host, Cookie: cookie })).status, host).toBe(200);
    }
    for (const host of ['rebind.example', `rebind.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `127.0.0.2:${port}`, '']) {
      const res = await rawGet(port, '/', { Host: host, Cookie: cookie });
      expect(res.status, host).toBe(421);
    }
    const noHost = await rawConnect(port);
    noHost.socket.write(`GET / HTTP/1.0\r\nCookie: ${cookie}\r\n\r\n`);
    expect((await noHost.waitFor('\r\n')).split('\r\n')[0]).toBe('HTTP/1.1 421 Misdirected Request');
  });

  it('refuses the socket for a rebound Host, and for an Origin other than the bound one', async () => {
    const port = server.port;
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { cookie, ...headers } });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    expect(await status({ host: `rebind.example:${port}`, origin: `http://rebind.example:${port}` })).toBe(421);
    expect(await status({ origin: `http://127.0.0.1:${port + 1}` })).toBe(403);
    expect(await status({ origin: `https://127.0.0.1:${port}` })).toBe(403);
    expect(await status({ origin: 'null' })).toBe(403);
    expect(await status({ origin: `http://127.0.0.1:${port}` })).toBe(101);
    expect(await status({ origin: `http://localhost:${port}` })).toBe(101);
  });

  it('redirects the token exchange only to a path on this server', async () => {
    const port = server.port;
    for (const [path, location] of [
      [`/.//evil.example/x?token=${token}`, '/evil.example/x'],
      [`//evil.example/x?token=${token}`, '/evil.example/x'],
      [`/\\evil.example/x?token=${token}`, '/evil.example/x'],
      [`/assets/app.js?token=${token}`, '/assets/app.js'],
      [`/?token=${token}`, '/'],
    ] as const) {
      const res = await rawGet(port, path, { Host: `127.0.0.1:${port}` });
      expect(res.status, path).toBe(303);
      expect(res.headers.location, path).toBe(location);
    }
  });
});

describe('slow and silent clients are disconnected', () => {
  let server: BrowserServer;
  beforeAll(async () => {
    server = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, heartbeatMs: 200 });
  });

  it('closes a connection that never finishes its headers', { timeout: 30_000 }, async () => {
    const conn = await rawConnect(server.port);
    conn.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `);
    await conn.closed;
    await stillServes(server);
  });

  it('closes a connection that sends nothing at all', { timeout: 30_000 }, async () => {
    const conn = await rawConnect(server.port);
    await conn.closed;
    await stillServes(server);
  });

  it('terminates a WebSocket peer that stops answering pings', { timeout: 30_000 }, async () => {
    const conn = await rawWebSocket(server.port, { Cookie: cookie });
    await conn.closed;
    // The server asked first: at least one ping (opcode 0x9) came before it gave up.
    const afterHead = conn.received().subarray(conn.received().indexOf('\r\n\r\n') + 4);
    expect(afterHead[0]! & 0x0f).toBe(0x9);
    await stillServes(server);
  });
});

describe('caps on connections and sockets', () => {
  it('answers 503 beyond the connection cap, and serves again once connections close', { timeout: 30_000 }, async () => {
    const server = await start({ maxConnections: 3 });
    const held = await Promise.all([1, 2, 3].map(() => rawConnect(server.port)));
    const refused = await rawGet(server.port, '/', { Host: `127.0.0.1:${server.port}`, Cookie: cookie });
    expect(refused.status).toBe(503);
    for (const conn of held) conn.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
    // The server counts a closed connection when it sees the close; ask until it has.
    for (;;) {
      const res = await rawGet(server.port, '/', { Host: `127.0.0.1:${server.port}`, Cookie: cookie });
      if (res.status === 200) break;
      expect(res.status).toBe(503);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('closes a WebSocket beyond the socket cap with 1013 and keeps the first', { timeout: 30_000 }, async () => {
    const server = await start({ maxWebSockets: 1 });
    const url = `ws://127.0.0.1:${server.port}/api`;
    const first = new WebSocket(url, { headers: { cookie } });
    await new Promise((resolve, reject) => {
      first.once('open', resolve);
      first.once('error', reject);
    });
    const second = new WebSocket(url, { headers: { cookie } });
    second.on('error', () => undefined);
    const [code] = await new Promise<[number]>((resolve) => second.once('close', (c) => resolve([c])));
    expect(code).toBe(1013);
    const reply = new Promise<string>((resolve) => first.once('message', (data) => resolve(String(data))));
    first.send(JSON.stringify({ type: 'call', id: 7, method: 'app.info', input: {} }));
    expect(JSON.parse(await reply)).toMatchObject({ id: 7, result: { ok: true } });
    first.close();
  });
});
