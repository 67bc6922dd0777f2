import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary, NO_ELECTRON_REASON } from './electron-binary';

// Runs wherever an Electron binary exists: ELECTRON_OVERRIDE_DIST_PATH, or the one `npm start` downloaded.
const executablePath = electronBinary();
if (!executablePath) console.log(`electron.spec.ts: skipped — ${NO_ELECTRON_REASON}`);

type Bridge = { kubesmith: { call: Record<string, (input: unknown) => Promise<unknown>> } };

test.describe('desktop app (Electron)', () => {
  test.skip(!executablePath, NO_ELECTRON_REASON);

  let home: string;
  let app: ElectronApplication;
  const env = () => ({ ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') });

  test.beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'kubesmith-electron-'));
    app = await electron.launch({ executablePath: executablePath!, args: ['.', '--no-sandbox'], env: env() });
  });
  test.afterEach(async () => {
    await app.close();
    await rm(home, { recursive: true, force: true });
  });

  test('the window opens, is locked down, and the API answers through the preload', async () => {
    const window = await app.firstWindow();
    await expect(window.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
    await expect(window.getByRole('status')).toContainText('Desktop');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    const info = await window.evaluate(() => (globalThis as unknown as Bridge).kubesmith.call['app.info']!({}));
    expect(info).toMatchObject({ ok: true, value: { name: 'Kubesmith', mode: 'electron' } });
    const refused = await window.evaluate(() =>
      (globalThis as unknown as Bridge).kubesmith.call['clusters.create']!({ name: 'Not Valid!' }),
    );
    expect(refused).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
  });

  test('secrets are sealed with the OS keychain, or the app says clearly that there is none', async () => {
    const window = await app.firstWindow();
    const info = (await window.evaluate(() => (globalThis as unknown as Bridge).kubesmith.call['app.info']!({}))) as {
      value: { secretsEncryptedAtRest: boolean; secretProtection: string };
    };
    if (info.value.secretsEncryptedAtRest) {
      expect(info.value.secretProtection).toMatch(/system keychain/);
    } else {
      expect(info.value.secretProtection).toMatch(/unencrypted/);
      const logs = await app.evaluate(({ app: electronApp }) => electronApp.getPath('logs'));
      expect(await readFile(join(logs, 'main.log'), 'utf8')).toMatch(/no keychain|plain-text fallback/);
    }
  });

  test('the menu has the standard roles and the app items, and About shows the versions', async () => {
    const menu = await app.evaluate(({ Menu }) => {
      const top = Menu.getApplicationMenu()?.items ?? [];
      const edit = top.find((item) => item.submenu?.items.some((i) => i.role === 'copy'));
      return {
        roles: edit?.submenu?.items.flatMap((i) => (i.role ? [i.role.toLowerCase()] : [])) ?? [],
        ids: ['open-data-folder', 'show-logs', 'check-for-updates', 'about'].filter((id) => Menu.getApplicationMenu()?.getMenuItemById(id)),
      };
    });
    expect(menu.roles).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectall']));
    expect(menu.ids).toEqual(['open-data-folder', 'show-logs', 'check-for-updates', 'about']);

    const window = await app.firstWindow();
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('about')?.click());
    await expect(window.getByRole('heading', { level: 2 })).toHaveText('About');
    await expect(window.getByTestId('about-versions')).toContainText('Electron');
    await expect(window.getByTestId('about-versions')).toContainText('Chromium');
    await expect(window.getByTestId('update-status')).toContainText('runs from its source');
  });

  test('a second instance hands over to the first and exits', async () => {
    await app.firstWindow();
    await app.evaluate(({ app: electronApp }) => {
      const g = globalThis as { secondInstances?: number };
      g.secondInstances = 0;
      electronApp.on('second-instance', () => (g.secondInstances = (g.secondInstances ?? 0) + 1));
    });
    const second = spawn(executablePath!, ['.', '--no-sandbox'], { env: env(), stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(0);
    await expect.poll(() => app.evaluate(() => (globalThis as { secondInstances?: number }).secondInstances)).toBe(1);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });
});
