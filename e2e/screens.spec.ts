import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { ClusterSchema } from '../src-shared/model/cluster';
import { apiCall } from './api';
import { startServer, type RunningServer } from './browser-mode';

/**
 * Every screen in light and dark, English and 简体中文: an accessibility scan (no serious or critical violation) and a
 * screenshot. With UPDATE_SCREENSHOTS=1 the screenshots go to docs/screenshots/ (shown in the README); otherwise to
 * the test's output folder. Nothing here reaches a host: the cluster's machines are never probed or deployed.
 */
const THEMES = ['light', 'dark'] as const;
const LOCALES = ['en', 'zh-CN'] as const;
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(process.cwd(), 'docs', 'screenshots') : undefined;

const SCREENS: Array<{ name: string; hash: string; ready: (page: Page) => Promise<void> }> = [
  { name: 'home', hash: '#/home', ready: (p) => expect(p.locator('.home-refreshed')).toContainText(/\d/) },
  { name: 'inventory', hash: '#/inventory', ready: (p) => expect(p.locator('.host-card')).toHaveCount(8) },
  { name: 'topology', hash: '#/topology/roles', ready: (p) => expect(p.locator('.host-chip')).toHaveCount(8) },
  { name: 'topology-graph', hash: '#/topology/graph', ready: (p) => expect(p.getByTestId('topology-graph')).toBeVisible() },
  { name: 'topology-settings', hash: '#/topology/settings', ready: (p) => expect(p.locator('form, .settings-form').first()).toBeVisible() },
  { name: 'certificates', hash: '#/certificates', ready: (p) => expect(p.getByRole('heading', { level: 2 })).toBeVisible() },
  { name: 'deploy', hash: '#/deploy', ready: (p) => expect(p.locator('.deploy-toolbar')).toBeVisible() },
  { name: 'operations', hash: '#/operations', ready: (p) => expect(p.getByRole('heading', { level: 2 })).toBeVisible() },
  { name: 'terminals', hash: '#/terminals', ready: (p) => expect(p.getByRole('heading', { level: 2 })).toBeVisible() },
  { name: 'settings', hash: '#/settings', ready: (p) => expect(p.getByTestId('secret-protection')).toBeVisible() },
];

let server: RunningServer;
let home: string;

test.beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'ks-screens-home-'));
  await mkdir(join(home, '.ssh'), { recursive: true });
  server = await startServer({ HOME: home, SSH_AUTH_SOCK: '' });
  if (SHOTS) await mkdir(SHOTS, { recursive: true });
});

test.afterAll(async () => {
  await server?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** A page in one theme and language, signed in (the token traded for the cookie). */
async function open(browser: Browser, theme: (typeof THEMES)[number], locale: (typeof LOCALES)[number]): Promise<Page> {
  const context = await browser.newContext({ colorScheme: theme, viewport: { width: 1280, height: 800 } });
  await context.addInitScript(`localStorage.setItem('kubesmith.locale', ${JSON.stringify(locale)})`);
  const page = await context.newPage();
  await page.goto(server.url);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  return page;
}

type Violation = { screen: string; id: string; impact: string; nodes: string[] };

async function scan(page: Page, screen: string): Promise<Violation[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ screen, id: v.id, impact: v.impact ?? '', nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: SHOTS ? join(SHOTS, `${name}.png`) : test.info().outputPath(`${name}.png`) });
}

/** The seed topology on made-up addresses, with facts as a probe would have left them. */
async function seedCluster(): Promise<void> {
  await apiCall(server, 'clusters.create', { name: 'homelab' });
  const { cluster } = await apiCall(server, 'hosts.paste', {
    cluster: 'homelab',
    text: 'master-1 192.168.50.10\nmaster-2 192.168.50.11\netcd-1 192.168.50.20\netcd-2 192.168.50.21\netcd-3 192.168.50.22\nworker-1 192.168.50.40\nworker-2 192.168.50.41\nworker-3 192.168.50.42',
  });
  const roles = { master: ['master'], etcd: ['etcd'], worker: ['node'] } as const;
  const at = new Date().toISOString();
  await apiCall(server, 'clusters.save', {
    cluster: ClusterSchema.parse({
      ...cluster,
      hosts: cluster.hosts.map((h, i) => ({
        ...h,
        // One worker left without a role, so the checks have something to say.
        roles: h.name === 'worker-3' ? [] : roles[h.name.split('-')[0] as keyof typeof roles],
        probe: {
          at,
          ok: true,
          hostname: h.name,
          os: { id: 'debian', version: '13', pretty: 'Debian GNU/Linux 13 (trixie)' },
          arch: 'x86_64',
          cpus: i < 2 ? 4 : 2,
          memoryBytes: (i < 2 ? 8 : 4) * 1024 ** 3,
          cgroupV2: true,
        },
      })),
    }),
  });
}

test('every screen in light and dark, English and Chinese: no serious or critical accessibility violation', async ({ browser }) => {
  test.setTimeout(600_000);
  const violations: Violation[] = [];
  // An empty app first: the welcome and the New cluster dialog.
  for (const theme of THEMES) {
    for (const locale of LOCALES) {
      const page = await open(browser, theme, locale);
      await expect(page.locator('.welcome')).toBeVisible();
      violations.push(...(await scan(page, `welcome ${theme} ${locale}`)));
      await shoot(page, `welcome-${theme}-${locale}`);
      await page.locator('.welcome-actions button.primary').click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.getByRole('dialog').locator('textarea').fill('192.168.50.10-17');
      violations.push(...(await scan(page, `new-cluster ${theme} ${locale}`)));
      await shoot(page, `new-cluster-${theme}-${locale}`);
      await page.context().close();
    }
  }
  await seedCluster();
  for (const theme of THEMES) {
    for (const locale of LOCALES) {
      const page = await open(browser, theme, locale);
      for (const screen of SCREENS) {
        await page.goto(`${server.origin}/${screen.hash}`);
        await screen.ready(page);
        violations.push(...(await scan(page, `${screen.name} ${theme} ${locale}`)));
        await shoot(page, `${screen.name}-${theme}-${locale}`);
      }
      await page.context().close();
    }
  }
  expect(violations).toEqual([]);
});

test('the theme follows the system until one is chosen, and the choice survives a reload', async ({ browser }) => {
  const page = await open(browser, 'dark', 'en');
  const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  const dark = await background();
  await page.goto(`${server.origin}/#/settings`);
  await page.getByLabel('Theme').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).not.toBe(dark);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByLabel('Theme').selectOption('system');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(await background()).toBe(dark);
  await page.context().close();

  // Pinned dark on a light system: the same colours as the system's dark.
  const light = await open(browser, 'light', 'en');
  const lightBackground = () => light.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  expect(await lightBackground()).not.toBe(dark);
  await light.goto(`${server.origin}/#/settings`);
  await light.getByLabel('Theme').selectOption('dark');
  await expect(light.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await lightBackground()).toBe(dark);
  await light.context().close();
});

test('the page loads without a failed request (the favicon included)', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().includes('token=')) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(server.url);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  const response = await page.request.get(new URL(icon!, server.origin).toString());
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('image/png');
  expect(failed).toEqual([]);
  await context.close();
});
