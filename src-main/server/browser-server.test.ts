import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBackend } from '../backend';
import { startBrowserServer, type BrowserServer } from './browser-server';

describe('browser-mode server', () => {
  let root: string;
  let server: BrowserServer;
  const token = 'test-token-0123456789';
  const origin = () => `http://127.0.0.1:${server.port}`;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ks-srv-'));
    const rendererDir = join(root, 'renderer');
    await mkdir(join(rendererDir, 'assets'), { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(root, 'secret.txt'), 'do not serve');
    const backend = createBackend({ dataDir: join(root, 'data'), mode: 'browser', version: '0.0.0-test' });
    server = await startBrowserServer({ backend, rendererDir, token });
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('binds to 127.0.0.1 and prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`);
  });

  it('answers 401 and nothing else without the token or with a wrong one', async () => {
    const attempts: RequestInit[] = [{}, { headers: { cookie: 'ks_token=wrong' } }, { headers: { authorization: 'Bearer nope' } }];
    for (const init of attempts) {
      const res = await fetch(`${origin()}/assets/app.js`, init);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('Unauthorized');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('trades the token in the URL for an HttpOnly SameSite cookie and serves files with the CSP', async () => {
    const first = await fetch(server.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    expect(first.headers.get('set-cookie')).toMatch(/ks_token=.*HttpOnly; SameSite=Strict/);
    const page = await fetch(`${origin()}/`, { headers: { cookie: `ks_token=${token}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    expect(await page.text()).toContain('<title>app</title>');
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await fetch(`${origin()}${path}`, { headers: { cookie: `ks_token=${token}` } });
      expect(res.status, path).toBe(404);
    }
  });

  it('serves the API over WebSocket and validates every call', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers: { cookie: `ks_token=${token}` } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const replies: unknown[] = [];
    const waitFor = (n: number) =>
      new Promise<void>((resolve) => {
        ws.on('message', (data) => {
          replies.push(JSON.parse(String(data)));
          if (replies.length === n) resolve();
        });
      });
    const done = waitFor(3);
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'clusters.create', input: { name: 'homelab' } }));
    ws.send(JSON.stringify({ type: 'call', id: 2, method: 'clusters.create', input: { name: 'UPPER case' } }));
    ws.send('not json');
    await done;
    ws.close();
    expect(replies).toContainEqual(expect.objectContaining({ id: 1, result: expect.objectContaining({ ok: true }) }));
    expect(replies).toContainEqual(
      expect.objectContaining({
        id: 2,
        result: expect.objectContaining({ ok: false, error: expect.objectContaining({ name: 'InvalidRequest' }) }),
      }),
    );
    expect(replies).toContainEqual(expect.objectContaining({ id: -1, result: expect.objectContaining({ ok: false }) }));
  });

  it('refuses the socket from another origin even with the cookie', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, {
        headers: { cookie: `ks_token=${token}`, origin: 'http://evil.example' },
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(403);
  });
});
