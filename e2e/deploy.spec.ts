import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostPublicKey } from '../test/lab/faults';
import { labUp } from '../test/lab/lab';
import { labUnsupportedReason } from '../test/lab/preflight';
import { prepareLabDeploy } from '../test/deploy/lab-cluster';
import { resetDeployedHosts } from '../test/deploy/lab-reset';
import { expect, openCluster, test } from './fixtures';

const labReason = labUnsupportedReason();

/**
 * The seed topology on 6 lab hosts (node1–3 etcd + master, node4–6 workers), deployed from the Deploy screen up
 * to the nodes phase (kube-* are the lab's stand-ins; add-ons need a real Kubernetes). The lab's hybrid cgroups
 * make the cgroup v2 check fail, so the test waives it the way a user would, in the screen's options.
 */
test.describe('deploy', () => {
  test.skip(labReason !== undefined, `needs the lab: ${labReason}`);
  test.describe.configure({ timeout: 600_000 });

  test.beforeAll(async ({ server }) => {
    const hosts = await labUp(6);
    await resetDeployedHosts(hosts);
    await prepareLabDeploy(hosts, { dataDir: server.dataDir });
    // The hosts' keys as the user would have accepted them on the Inventory screen (the workspace known_hosts).
    const lines = await Promise.all(hosts.map(async (h) => `${h.address} ${await hostPublicKey(h)}`));
    await writeFile(join(server.dataDir, 'known_hosts'), `${lines.join('\n')}\n`);
  });

  test('read the plan, deploy, watch every host reach the end, open a terminal from a row', async ({ page, server }) => {
    await openCluster(page, server, 'lab', '#/deploy');
    await expect(page.getByRole('heading', { name: 'Deploy' })).toBeVisible();

    await page.getByText('Options').click();
    await page.getByLabel('Stop after phase').selectOption('nodes');
    await page.getByLabel('cgroup v2').check();
    await page.getByRole('button', { name: 'Read the plan' }).click();
    await expect(page.getByText(/Kubernetes 1\.37 \(stand-ins\) · \d+ steps on 6 hosts/)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('The preflight check "cgroup2" is waived')).toBeVisible();
    // The plan shows units and their flags before anything runs.
    await page.locator('summary', { hasText: 'Control plane' }).click();
    const apiserverUnit = page.locator('[data-host="node2"] li', { hasText: 'kube-apiserver unit' }).first();
    await apiserverUnit.getByRole('button', { name: 'Content' }).click();
    await expect(apiserverUnit.locator('pre')).toContainText('--authorization-mode=Node,RBAC');

    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    const rows = page.locator('tr.deploy-host');
    await expect(rows).toHaveCount(6);
    await expect(page.getByRole('status').filter({ hasText: 'Deploy finished' })).toBeVisible({ timeout: 480_000 });
    for (const name of ['node1', 'node2', 'node3', 'node4', 'node5', 'node6']) {
      await expect(page.locator(`tr[data-host="${name}"] .deploy-host-state`)).toHaveText('done');
    }

    // Where the time went: the breakdown of this very run, with the lab's phases and hosts, slowest first.
    const timings = page.locator('details.deploy-timings');
    const phases = timings.getByRole('table', { name: 'Time per phase' });
    await expect(phases.locator('tbody tr')).toHaveCount(8, { timeout: 30_000 });
    await expect(phases.locator('tr[data-phase="binaries"]')).toContainText('MiB');
    const slowHosts = timings.getByRole('table', { name: 'Slowest hosts' }).locator('tbody tr');
    await expect(slowHosts).toHaveCount(6);
    const busy = await slowHosts.evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[0]?.textContent ?? ''));
    const seconds = busy.map((b) =>
      b.endsWith(' ms') ? parseFloat(b) / 1000 : b.includes(':') ? Number(b.split(':')[0]) * 60 + Number(b.split(':')[1]) : parseFloat(b),
    );
    expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
    await expect(timings.getByRole('table', { name: 'Slowest steps' }).locator('tbody tr')).toHaveCount(10);
    await timings.screenshot({ path: test.info().outputPath('deploy-timings.png') });
    // The disclosure folds with the keyboard.
    await timings.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(phases).toBeHidden();
    await page.keyboard.press('Enter');
    await expect(phases).toBeVisible();

    await page.locator('tr[data-host="node4"]').click();
    await expect(page.getByLabel('Log of node4')).toContainText('kube-proxy keeps running');
    await page.screenshot({ path: test.info().outputPath('deploy-finished.png'), fullPage: true });
    await page.getByRole('link', { name: 'Open terminal' }).click();
    await expect(page).toHaveURL(/#\/terminals$/);
    await expect(page.getByRole('tab', { name: 'node4' })).toBeVisible();
    await expect(page.locator('.terminal-pane .xterm-rows')).toContainText('node4', { timeout: 30_000 });
  });

  test('after the deploy, Operations reads the health of the cluster and takes a backup to this computer', async ({ page, server }) => {
    await openCluster(page, server, 'lab', '#/operations');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const members = page.getByRole('table', { name: 'etcd members' });
    for (const name of ['node1', 'node2', 'node3'])
      await expect(members.locator('tr', { hasText: name })).toContainText('yes', { timeout: 60_000 });
    const hosts = page.getByRole('region', { name: 'Hosts' });
    await expect(hosts.locator('li[data-host="node4"]')).toContainText('kubelet');
    await expect(hosts.locator('li[data-host="node4"]')).not.toContainText('unreachable');

    await page.getByRole('tab', { name: 'Backups' }).click();
    await page.getByRole('button', { name: 'Back up etcd now' }).click();
    await expect(page.getByText(/copied to .*\.db on this computer/).first()).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Backup finished' })).toBeVisible({ timeout: 120_000 });
    // Listed once the copy on this computer is done (the ops.finished event), with the member it came from.
    const table = page.getByRole('table', { name: 'Backups' });
    await expect(table.locator('tbody tr')).toHaveCount(1, { timeout: 60_000 });
    await expect(table.locator('tbody tr')).toContainText(/node[123]/);
    await expect(table.locator('tbody tr')).toContainText(`${server.dataDir}/clusters/lab/backups/lab-`);
    await page.screenshot({ path: test.info().outputPath('ops-after-deploy.png'), fullPage: true });
  });

  test('the plan of the deployed cluster shows only what the last run left to do', async ({ page, server }) => {
    await openCluster(page, server, 'lab', '#/deploy');
    await page.getByText('Options').click();
    await page.getByLabel('Stop after phase').selectOption('nodes');
    await page.getByLabel('cgroup v2').check();
    await page.getByRole('button', { name: 'Read the plan' }).click();
    // The screen opens on the last run's progress; the plan is on its own tab.
    await page.getByRole('tab', { name: 'Plan' }).click();
    const only = page.getByLabel(/Only what changes since the last run: \d+ of \d+ steps/);
    await expect(only).toBeChecked({ timeout: 60_000 });
    // Add-ons and verify never ran in the lab (stopped after nodes), so those are what is left.
    await expect(page.locator('summary', { hasText: 'Preflight' })).toHaveCount(0);
    await expect(page.locator('summary', { hasText: 'Control plane' })).toHaveCount(0);
    await only.uncheck();
    await expect(page.locator('summary', { hasText: 'Control plane' })).toHaveCount(1);
  });
});
