import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiCall } from './api';
import { expect, openCluster, test } from './fixtures';

const SCREENS = [
  { id: 'home', en: 'Home', zh: '首页' },
  { id: 'inventory', en: 'Inventory', zh: '主机清单' },
  { id: 'topology', en: 'Topology', zh: '拓扑' },
  { id: 'certificates', en: 'Certificates', zh: '证书' },
  { id: 'deploy', en: 'Deploy', zh: '部署' },
  { id: 'operations', en: 'Operations', zh: '运维' },
  { id: 'terminals', en: 'Terminals', zh: '终端' },
  { id: 'bundle', en: 'Offline bundle', zh: '离线包' },
  { id: 'settings', en: 'Settings', zh: '设置' },
];

test('browser mode opens, shows the backend connection and navigates every screen', async ({ page, server }) => {
  await page.goto(server.url);
  // The token in the address bar is traded for a cookie.
  await expect(page).toHaveURL(`${server.origin}/`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByRole('status')).toContainText('Browser mode');
  await expect(page.getByRole('status')).toContainText(server.dataDir);

  const nav = page.getByRole('navigation', { name: 'Screens' });
  for (const screen of SCREENS) {
    await nav.getByRole('link', { name: screen.en }).click();
    await expect(page).toHaveURL(new RegExp(`#/${screen.id}$`));
    await expect(page.getByRole('heading', { level: 2 })).toHaveText(screen.en);
    await expect(nav.getByRole('link', { name: screen.en })).toHaveAttribute('aria-current', 'page');
  }

  // Routing is real: a reload lands on the same screen.
  await page.reload();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Settings');
});

test('switching the language to Chinese and back changes every label', async ({ page, server }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  const nav = page.getByRole('navigation', { name: '页面' });
  for (const screen of SCREENS) {
    await expect(nav.locator(`[data-screen="${screen.id}"]`)).toHaveText(screen.zh);
  }
  await expect(page.getByTestId('connection-state')).toHaveText('已连接');

  // The choice survives a reload, then switch back.
  await page.reload();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('设置');
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Settings');
  await expect(nav.or(page.getByRole('navigation', { name: 'Screens' })).locator('[data-screen="inventory"]')).toHaveText('Inventory');
});

test('a cluster can be created and a bad name is refused with the backend message', async ({ page, server }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'New cluster' }).click();
  await page.getByLabel('Name of the new cluster').fill('Bad_Name');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('not valid');
  await expect(alert).toHaveAttribute('data-error-name', 'InvalidRequest');
  await alert.getByRole('button', { name: 'Dismiss' }).click();

  await page.getByLabel('Name of the new cluster').fill('homelab');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByLabel('Cluster')).toHaveValue('homelab');
});

test('a cluster whose cluster.yaml is broken stays in the list and is repaired or removed in the app', async ({ page, server }) => {
  await apiCall(server, 'clusters.create', { name: 'mended' });
  await apiCall(server, 'clusters.create', { name: 'doomed' });
  const file = (name: string) => join(server.dataDir, 'clusters', name, 'cluster.yaml');
  await writeFile(file('mended'), 'name: mended\nhosts:\n  - {id: h1, name: n1, address: "192.0.2.12;touch /tmp/x"}\n');
  await writeFile(file('doomed'), 'name: doomed\nhosts: {\n');

  await openCluster(page, server, 'mended');
  await expect(page.getByLabel('Cluster', { exact: true }).locator('option', { hasText: 'mended (cannot be opened)' })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Cluster "mended" cannot be opened' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'hosts[0].address' })).toBeVisible();
  const text = page.getByLabel('Text of cluster.yaml');
  await text.fill('name: mended\nhosts:\n  - {id: h1, name: n1, address: 192.0.2.12}\n');
  await page.getByRole('button', { name: 'Save repaired file' }).click();
  await expect(page.getByRole('heading', { name: 'Cluster "mended" cannot be opened' })).toHaveCount(0);
  expect((await apiCall(server, 'clusters.get', { name: 'mended' })).hosts[0]?.address).toBe('192.0.2.12');

  await page.getByLabel('Cluster', { exact: true }).selectOption('doomed');
  const remove = page.getByRole('button', { name: 'Remove cluster' });
  await expect(remove).toBeDisabled();
  await page.getByLabel('Type "doomed" to confirm').fill('doomed');
  await remove.click();
  await expect(page.getByLabel('Cluster', { exact: true }).locator('option', { hasText: 'doomed' })).toHaveCount(0);
});
