import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary, NO_ELECTRON_REASON } from './electron-binary';

const executablePath = electronBinary();
if (!executablePath) console.log(`electron.spec.ts: skipped — ${NO_ELECTRON_REASON}`);

test.describe('desktop app (Electron)', () => {
  test.skip(!executablePath, NO_ELECTRON_REASON);

  test('the window opens, is locked down, and the API answers through the preload', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kubesmith-electron-'));
    const app = await electron.launch({
      executablePath: executablePath!,
      args: ['.', '--no-sandbox'],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
      await expect(window.getByRole('status')).toContainText('Desktop');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      const info = await window.evaluate(async () => {
        const bridge = (globalThis as unknown as { kubesmith: { call: Record<string, (i: unknown) => Promise<unknown>> } }).kubesmith;
        return bridge.call['app.info']!({});
      });
      expect(info).toMatchObject({ ok: true, value: { name: 'Kubesmith', mode: 'electron' } });
      const refused = await window.evaluate(async () => {
        const bridge = (globalThis as unknown as { kubesmith: { call: Record<string, (i: unknown) => Promise<unknown>> } }).kubesmith;
        return bridge.call['clusters.create']!({ name: 'Not Valid!' });
      });
      expect(refused).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
    } finally {
      await app.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
