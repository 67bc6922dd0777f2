import WebSocket from 'ws';
import { expect, test } from './fixtures';

test('requests without the right token get 401 and nothing else', async ({ playwright, server }) => {
  const anonymous = await playwright.request.newContext();
  for (const path of ['/', '/index.html', '/assets/', '/api', '/?token=wrong']) {
    const res = await anonymous.get(`${server.origin}${path}`, { maxRedirects: 0 });
    expect(res.status(), path).toBe(401);
    expect(await res.text(), path).toBe('Unauthorized');
  }
  await anonymous.dispose();
});

test('the API socket refuses a missing or wrong token and answers the right one', async ({ server }) => {
  const wsUrl = `${server.origin.replace('http', 'ws')}/api`;
  const refusal = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('socket opened without the token')));
      ws.on('error', () => undefined);
    });
  expect(await refusal(wsUrl)).toBe(401);
  expect(await refusal(`${wsUrl}?token=nope`)).toBe(401);

  const ws = new WebSocket(`${wsUrl}?token=${server.token}`);
  await new Promise((resolve, reject) => {
    ws.on('open', resolve);
    ws.on('error', reject);
  });
  const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
  ws.send(JSON.stringify({ type: 'call', id: 1, method: 'app.info', input: {} }));
  const frame = JSON.parse(await reply);
  expect(frame).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { name: 'Kubesmith', mode: 'browser' } } });
  ws.close();
});

test('a page on another origin cannot use the token cookie to open the API socket', async ({ page, server }) => {
  await page.goto(server.url);
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api?token=${server.token}`, {
      headers: { Origin: 'http://evil.example' },
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', () => undefined);
  });
  expect(status).toBe(403);
});
