// The topology canvas with 200 hosts: frame times (requestAnimationFrame deltas) while a card is
// dragged across every lane with the mouse, against an empty page's frame times in the same browser
// in the same run. A ratio near 1 means the drag costs no frames. Needs `npm run build` first.
// The hosts use 192.0.2.0/24 (TEST-NET-1); nothing is ever sent to them.
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import WebSocket from 'ws';
import { startServer } from '../../e2e/browser-mode';
import { CHROMIUM_ARGS } from '../../playwright.config.mjs';

const HOSTS = 200;
const DRAGS = 3;

type Frames = number[];

function percentile(values: Frames, p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function apiClient(origin: string, token: string) {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 0;
  const call = <T>(method: string, input: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      const onMessage = (data: WebSocket.RawData) => {
        const frame = JSON.parse(String(data));
        if (frame.id !== id) return;
        ws.off('message', onMessage);
        if (frame.result.ok) resolve(frame.result.value as T);
        else reject(new Error(`${method}: ${frame.result.error.message}`));
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ type: 'call', id, method, input }));
    });
  return { call, close: () => ws.close() };
}

// Strings, not functions: they run in the page, which has no Node types, and tsx's helpers must not leak into them.
const START_RECORDING = `(() => {
  window.__frames = [];
  window.__recording = true;
  let last = 0;
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
})()`;
const STOP_RECORDING = '(() => { window.__recording = false; return window.__frames; })()';

async function startRecording(page: Page): Promise<void> {
  await page.evaluate(START_RECORDING);
}

async function stopRecording(page: Page): Promise<Frames> {
  return (await page.evaluate(STOP_RECORDING)) as Frames;
}

/** The same pointer path on a blank page: what a frame costs when there is nothing to do. */
async function referenceFrames(page: Page): Promise<Frames> {
  await page.setContent('<!doctype html><title>reference</title><body style="height:2000px"></body>');
  const frames: Frames = [];
  for (let i = 0; i < DRAGS; i++) {
    await startRecording(page);
    await page.mouse.move(100, 300);
    await page.mouse.down();
    for (const x of [400, 700, 1000, 1250]) await page.mouse.move(x, 320, { steps: 20 });
    await page.mouse.up();
    await page.waitForTimeout(300);
    frames.push(...(await stopRecording(page)));
  }
  return frames;
}

async function dragFrames(page: Page): Promise<Frames> {
  const frames: Frames = [];
  for (let i = 0; i < DRAGS; i++) {
    const card = page.locator('[data-chip-id^="pool:"]').first();
    await card.scrollIntoViewIfNeeded();
    const box = (await card.boundingBox())!;
    const lanes = await Promise.all(
      ['etcd', 'master', 'node'].map(async (id) => (await page.locator(`[data-lane="${id}"]`).boundingBox())!),
    );
    await startRecording(page);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (const lane of lanes) await page.mouse.move(lane.x + lane.width / 2, box.y + box.height / 2, { steps: 20 });
    await page.mouse.up();
    // The drop re-renders the lanes and saves; its frames count too.
    await page.waitForTimeout(300);
    frames.push(...(await stopRecording(page)));
  }
  return frames;
}

async function main(): Promise<void> {
  if (!existsSync('out/main/serve.js')) {
    console.error('canvas: out/main/serve.js is missing; run `npm run build` first.');
    process.exit(1);
  }
  const server = await startServer();
  const api = await apiClient(server.origin, server.token);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await api.call('clusters.create', { name: 'bench' });
    const { added } = await api.call<{ added: string[] }>('hosts.paste', { cluster: 'bench', text: `192.0.2.1-${HOSTS}` });
    const roles = Object.fromEntries(added.map((id, i) => [id, i < 3 ? ['etcd'] : i < 6 ? ['master'] : i < HOSTS - 10 ? ['node'] : []]));
    await api.call('hosts.setRoles', { cluster: 'bench', roles });

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const reference = await referenceFrames(page);
    await page.goto(server.url);
    await page.goto(`${server.origin}/#/topology`);
    await page.locator('[data-testid="lane-count-node"]', { hasText: String(HOSTS - 16) }).waitFor();
    const drag = await dragFrames(page);

    const p50 = percentile(drag, 50);
    const p95 = percentile(drag, 95);
    const ref50 = percentile(reference, 50);
    const ref95 = percentile(reference, 95);
    console.log(
      `canvas: ${HOSTS} hosts, drag frame p50 ${p50.toFixed(1)}ms p95 ${p95.toFixed(1)}ms max ${Math.max(...drag).toFixed(1)}ms (${drag.length} frames), ` +
        `reference (empty page rAF) p50 ${ref50.toFixed(1)}ms p95 ${ref95.toFixed(1)}ms, ratio ${(p50 / ref50).toFixed(2)} (p95 ${(p95 / ref95).toFixed(2)})`,
    );
  } finally {
    api.close();
    await browser.close();
    await server.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
