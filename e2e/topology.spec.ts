import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { chip, dragWithKeyboard, dragWithMouse, lane } from './canvas-helpers';
import { expect, test } from './fixtures';

const SEED = ['192.168.50.20-22', '192.168.50.10-11', '192.168.50.40-42'].join('\n');

async function createCluster(page: import('@playwright/test').Page, name: string) {
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await page.getByRole('button', { name: 'New cluster' }).click();
  await page.getByLabel('Name of the new cluster').fill(name);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByLabel('Cluster', { exact: true })).toHaveValue(name);
}

test('the seed topology: paste eight hosts, drag them onto their roles by mouse and keyboard, see HA, break it, undo, reload', async ({
  page,
  server,
}) => {
  await page.goto(server.url);
  await createCluster(page, 'seed');

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Inventory', exact: true }).click();
  await page.getByRole('button', { name: 'Paste a list' }).click();
  await page.getByLabel('Addresses, one a line').fill(SEED);
  await expect(page.getByText('Hosts to add: 8.')).toBeVisible();
  await page.getByRole('button', { name: 'Add hosts (8)' }).click();
  await expect(page.locator('.host-card')).toHaveCount(8);

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Topology', exact: true }).click();
  await expect(page.getByTestId('lane-count-pool')).toHaveText('8');
  const deploy = page.getByRole('button', { name: 'Deploy', exact: true });
  await expect(deploy).toBeDisabled();

  // etcd by mouse.
  for (const [i, host] of ['192.168.50.20', '192.168.50.21', '192.168.50.22'].entries()) {
    await dragWithMouse(page, chip(page, 'pool', host), lane(page, 'etcd'));
    await expect(page.getByTestId('lane-count-etcd')).toHaveText(String(i + 1));
  }
  // Control planes: one by mouse, one by keyboard (pool → etcd → control plane).
  await dragWithMouse(page, chip(page, 'pool', '192.168.50.10'), lane(page, 'master'));
  await dragWithKeyboard(page, chip(page, 'pool', '192.168.50.11'), 'ArrowRight', ['etcd', 'master']);
  await expect(page.getByTestId('lane-count-master')).toHaveText('2');
  // The moved card keeps the focus, in its new lane.
  await expect(chip(page, 'master', '192.168.50.11')).toBeFocused();
  // Workers: keyboard, then mouse.
  await dragWithKeyboard(page, chip(page, 'pool', '192.168.50.40'), 'ArrowRight', ['etcd', 'master', 'node']);
  await dragWithMouse(page, chip(page, 'pool', '192.168.50.41'), lane(page, 'node'));
  await dragWithMouse(page, chip(page, 'pool', '192.168.50.42'), lane(page, 'node'));
  await expect(page.getByTestId('lane-count-node')).toHaveText('3');
  await expect(page.getByTestId('lane-count-pool')).toHaveText('0');

  const ha = page.getByTestId('ha-state');
  await expect(ha).toHaveText('HA ✓');
  await expect(ha).toHaveAttribute('data-ha', 'true');
  await expect(page.getByTestId('findings')).toHaveCount(0);
  await expect(deploy).toBeEnabled();

  // Two etcd members: an error, and Deploy is disabled.
  await dragWithMouse(page, chip(page, 'etcd', '192.168.50.22'), lane(page, 'pool'));
  await expect(page.getByTestId('lane-count-etcd')).toHaveText('2');
  await expect(page.locator('[data-code="etcdEven"][data-severity="error"]')).toContainText('2 etcd members');
  await expect(ha).toHaveText('Not HA');
  await expect(deploy).toBeDisabled();

  // Undo and redo that move from the keyboard.
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('lane-count-etcd')).toHaveText('3');
  await expect(deploy).toBeEnabled();
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('lane-count-etcd')).toHaveText('2');
  await expect(deploy).toBeDisabled();

  // Saved as we went: a reload finds the same topology, and cluster.yaml has it.
  await page.reload();
  await expect(page.getByTestId('lane-count-etcd')).toHaveText('2');
  await expect(chip(page, 'etcd', '192.168.50.20')).toBeVisible();
  await expect(chip(page, 'etcd', '192.168.50.21')).toBeVisible();
  await expect(chip(page, 'master', '192.168.50.10')).toBeVisible();
  await expect(chip(page, 'master', '192.168.50.11')).toBeVisible();
  for (const host of ['192.168.50.40', '192.168.50.41', '192.168.50.42']) await expect(chip(page, 'node', host)).toBeVisible();
  await expect(chip(page, 'pool', '192.168.50.22')).toBeVisible();
  await expect(page.locator('[data-code="etcdEven"]')).toBeVisible();
  await expect(deploy).toBeDisabled();
  const yaml = parse(await readFile(join(server.dataDir, 'clusters', 'seed', 'cluster.yaml'), 'utf8'));
  const roles = Object.fromEntries(yaml.hosts.map((h: { address: string; roles: string[] }) => [h.address, h.roles.join('+')]));
  expect(roles).toEqual({
    '192.168.50.20': 'etcd',
    '192.168.50.21': 'etcd',
    '192.168.50.22': '',
    '192.168.50.10': 'master',
    '192.168.50.11': 'master',
    '192.168.50.40': 'node',
    '192.168.50.41': 'node',
    '192.168.50.42': 'node',
  });

  // The graph shows what will be built.
  await page.getByRole('tab', { name: 'What will be built' }).click();
  await expect(page.getByTestId('topology-graph')).toBeVisible();
  await expect(page.locator('[data-row="kubelet"]')).toHaveText('Nodes with a local LB (5)');
  await expect(page.locator('[data-row="apiserver"]')).toHaveText('kube-apiserver (2)');
});

test('one host can hold several roles: the pool keeps hosts that have a role, to give them another', async ({ page, server }) => {
  await page.goto(server.url);
  await createCluster(page, 'multirole');
  await page.getByRole('button', { name: 'Paste a list' }).click();
  await page.getByLabel('Addresses, one a line').fill('solo 192.168.50.30');
  await page.getByRole('button', { name: 'Add hosts (1)' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Topology', exact: true }).click();

  await dragWithKeyboard(page, chip(page, 'pool', 'solo'), 'ArrowRight', ['etcd']);
  await expect(chip(page, 'etcd', 'solo')).toBeVisible();
  await page.getByText('Hosts with a role (1)').click();
  await dragWithKeyboard(page, chip(page, 'pool', 'solo'), 'ArrowRight', ['etcd', 'master']);
  await dragWithMouse(page, chip(page, 'pool', 'solo'), lane(page, 'node'));
  for (const id of ['etcd', 'master', 'node']) await expect(chip(page, id, 'solo')).toBeVisible();
  await expect(page.locator('[data-code="notHa"]')).toContainText('control planes 1, etcd members 1');

  // Lane to pool takes that one role away; lane to lane moves it.
  await dragWithMouse(page, chip(page, 'node', 'solo'), lane(page, 'pool'));
  await expect(chip(page, 'node', 'solo')).toHaveCount(0);
  await dragWithKeyboard(page, chip(page, 'master', 'solo'), 'ArrowRight', ['node']);
  await expect(chip(page, 'master', 'solo')).toHaveCount(0);
  await expect(chip(page, 'node', 'solo')).toBeVisible();
  await expect(chip(page, 'etcd', 'solo')).toBeVisible();
  await expect(page.locator('[data-code="masterNone"]')).toBeVisible();
});

test('cluster settings are checked as you type, refused with the reason, and saved when valid', async ({ page, server }) => {
  await page.goto(server.url);
  await createCluster(page, 'settings');
  await page.getByRole('button', { name: 'Paste a list' }).click();
  await page.getByLabel('Addresses, one a line').fill('192.168.50.20');
  await page.getByRole('button', { name: 'Add hosts (1)' }).click();
  await page.goto(`${server.origin}/#/topology/settings`);

  const service = page.getByLabel('Service network (CIDR)');
  await service.fill('192.168.50.0/24');
  await expect(page.getByTestId('settings-problem')).toHaveText(
    '192.168.50.0/24 contains the address of host 192.168.50.20 (192.168.50.20).',
  );
  await expect(page.getByTestId('settings-save-state')).toHaveAttribute('data-state', 'invalid');
  await service.fill('10.244.0.0/16');
  await expect(page.getByTestId('settings-problem')).toHaveText('Overlaps the pod network 10.244.0.0/16.');

  await service.fill('10.96.0.0/16');
  // New clusters start on 1.37, which refuses ipvs; 1.36 still runs it with a warning.
  await page.getByLabel('Kubernetes version').selectOption('1.36');
  await page.getByLabel('kube-proxy mode').selectOption('ipvs');
  await page.getByLabel('metrics-server').uncheck();
  await expect(page.getByTestId('settings-save-state')).toHaveAttribute('data-state', 'saved');
  const file = join(server.dataDir, 'clusters', 'settings', 'cluster.yaml');
  await expect
    .poll(async () => parse(await readFile(file, 'utf8')).settings)
    .toMatchObject({ kubernetesVersion: '1.36', serviceCidr: '10.96.0.0/16', proxyMode: 'ipvs', addons: { metricsServer: false } });

  // ipvs still works in 1.36 but is deprecated: a warning beside the canvas, not a refusal.
  await page.goto(`${server.origin}/#/topology`);
  await expect(page.locator('[data-code="proxyIpvsDeprecated"][data-severity="warning"]')).toContainText(
    "kube-proxy's ipvs mode is deprecated in Kubernetes 1.36",
  );
});

test('how the binaries reach the hosts: chosen with the keyboard, refused with the reason for an offline bundle, saved', async ({
  page,
  server,
}) => {
  await page.goto(server.url);
  await createCluster(page, 'fetch');
  await page.goto(`${server.origin}/#/topology/settings`);
  const fromComputer = page.getByRole('radio', { name: /^From this computer/ });
  const hostsDownload = page.getByRole('radio', { name: 'Each host downloads them from the binary source itself' });
  await expect(fromComputer).toBeChecked();
  // Radios of one group: focus the checked one, an arrow key picks the next.
  await fromComputer.focus();
  await page.keyboard.press('ArrowDown');
  await expect(hostsDownload).toBeChecked();
  await expect(page.getByTestId('settings-save-state')).toHaveAttribute('data-state', 'saved');
  const file = join(server.dataDir, 'clusters', 'fetch', 'cluster.yaml');
  await expect.poll(async () => parse(await readFile(file, 'utf8')).settings.artifactTransfer).toBe('hostsDownload');

  await page.getByRole('radio', { name: 'An offline bundle folder' }).check();
  await page.getByLabel('Bundle folder on this computer').fill('/srv/bundle');
  await expect(page.getByTestId('settings-problem')).toHaveText(
    'The hosts cannot download an offline bundle (it is on this computer). Choose “From this computer”, or the official site or a mirror.',
  );
  await expect(page.getByTestId('settings-save-state')).toHaveAttribute('data-state', 'invalid');
  await fromComputer.check();
  await expect(hostsDownload).toBeDisabled();
  await expect(page.getByTestId('settings-save-state')).toHaveAttribute('data-state', 'saved');
  await expect
    .poll(async () => parse(await readFile(file, 'utf8')).settings)
    .toMatchObject({
      artifactTransfer: 'fromComputer',
      binarySource: { kind: 'offline', folder: '/srv/bundle' },
    });
});
