import { createServer } from 'node:net';
import type { Host } from '../src-shared/model/cluster';
import { apiCall } from './api';
import { expect, openCluster, test } from './fixtures';

const CLUSTER = 'ops-ui';

/** A loopback port nothing listens on: bound once to learn a free one, then closed, so every SSH connection is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Each host its own loopback address (one address and port is one machine), all on a port nothing listens on. */
const host = (id: string, name: string, port: number, roles: Host['roles'], address: string): Host => ({
  id,
  name,
  address,
  port,
  user: 'root',
  auth: { kind: 'password' },
  sudo: 'none',
  roles,
});

test.describe('operations without reachable hosts', () => {
  test.describe.configure({ timeout: 120_000 });

  test.beforeAll(async ({ server }) => {
    const port = await closedPort();
    const cluster = await apiCall(server, 'clusters.create', { name: CLUSTER });
    await apiCall(server, 'clusters.save', {
      cluster: {
        ...cluster,
        // One below the newest, so the upgrade form has a next minor version to start on.
        settings: { ...cluster.settings, kubernetesVersion: '1.35' },
        hosts: [
          host('ops-m1-id', 'ops-m1', port, ['etcd', 'master', 'node'], '127.0.0.1'),
          host('ops-n1-id', 'ops-n1', port, ['node'], '127.0.0.2'),
          host('ops-spare-id', 'ops-spare', port, [], '127.0.0.3'),
        ],
      },
    });
  });

  test('health reports every host unreachable and etcd without an answer', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Operations');
    await expect(page.getByText('Press Refresh to read')).toBeVisible();

    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Reading every host' })).toBeVisible();

    const hosts = page.getByRole('region', { name: 'Hosts' });
    for (const name of ['ops-m1', 'ops-n1']) {
      const row = hosts.locator(`li[data-host="${name}"]`);
      await expect(row).toContainText('unreachable', { timeout: 60_000 });
      await expect(row).toContainText(new RegExp(`${name} \\(127\\.0\\.0\\.\\d:\\d+\\) refused the connection`));
    }
    // Only hosts holding roles run units; a spare host is not read.
    await expect(hosts.locator('li[data-host="ops-spare"]')).toHaveCount(0);
    await expect(page.getByTestId('etcd-error')).toContainText(
      /^No etcd member answered: ops-m1: ops-m1 \(127\.0\.0\.1:\d+\) refused the connection/,
    );
    await expect(page.getByTestId('nodes-error')).toContainText(/^ops-m1: ops-m1 \(127\.0\.0\.1:\d+\) refused the connection/);
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
    await page.screenshot({ path: test.info().outputPath('ops-health.png'), fullPage: true });
  });

  test('a reset of a host that still holds roles is refused with the reason', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    await page.getByRole('tab', { name: 'Hosts' }).click();
    const row = page.getByRole('table', { name: 'Hosts of the cluster' }).locator('tr[data-host="ops-n1"]');
    await expect(row.getByRole('button', { name: 'Remove from cluster…' })).toBeVisible();
    await row.getByRole('button', { name: 'Reset…' }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'ops-n1 still holds roles (ops-n1: node)' });
    await expect(alert).toHaveAttribute('data-error-name', 'HostStillInCluster');
    await expect(alert).toContainText('Take the host out first with "Remove from cluster"');
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('ops-refused.png') });
  });

  test('a reset of a host without roles shows its plan and runs only once the host name is typed', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    await page.getByRole('tab', { name: 'Hosts' }).click();
    const row = page.getByRole('table', { name: 'Hosts of the cluster' }).locator('tr[data-host="ops-spare"]');
    await expect(row.getByRole('button', { name: 'Remove from cluster…' })).toHaveCount(0);
    await row.getByRole('button', { name: 'Reset…' }).click();

    const heading = page.getByRole('heading', { name: 'Reset ops-spare' });
    await expect(heading).toBeFocused();
    await page.screenshot({ path: test.info().outputPath('ops-reset-plan-top.png') });
    await expect(page.getByRole('note').filter({ hasText: 'What this changes for good' })).toContainText(
      'Everything Kubesmith installed on ops-spare is removed',
    );
    await expect(page.getByText(/\d+ steps on 1 hosts/)).toBeVisible();
    await expect(page.locator('.deploy-job[data-host="ops-spare"]')).toContainText('Remove the binaries');

    const run = page.getByRole('button', { name: 'Run', exact: true });
    const confirm = page.getByLabel('Type "ops-spare" to confirm');
    await expect(run).toBeDisabled();
    await confirm.focus();
    await page.keyboard.type('ops-spar');
    await expect(run).toBeDisabled();
    await page.keyboard.type('e ');
    await expect(run).toBeDisabled();
    await page.keyboard.press('Backspace');
    await expect(confirm).toHaveValue('ops-spare');
    await expect(run).toBeEnabled();
    await page.screenshot({ path: test.info().outputPath('ops-reset-plan.png'), fullPage: true });
    // Run is not pressed here; the failing run below does, against the closed port.
  });

  test('a host removal offers the preflight waivers while it plans, and is refused when etcd does not answer', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    await page.getByRole('tab', { name: 'Hosts' }).click();
    await page
      .getByRole('table', { name: 'Hosts of the cluster' })
      .locator('tr[data-host="ops-n1"]')
      .getByRole('button', { name: 'Remove from cluster…' })
      .click();

    const panel = page.getByRole('region', { name: 'Remove ops-n1 from the cluster' });
    const waivers = panel.getByRole('group', { name: 'Waive preflight checks (at your own risk):' });
    // Reading etcd takes a few seconds against a closed port; meanwhile the waivers wait for the plan.
    await expect(waivers.getByRole('checkbox')).toHaveCount(4);
    await expect(waivers.getByRole('checkbox', { name: 'clock' })).toBeDisabled();

    const alert = page
      .getByRole('alert')
      .filter({ hasText: /^No etcd member answered: ops-m1: ops-m1 \(127\.0\.0\.1:\d+\) refused the connection/ });
    await expect(alert).toBeVisible({ timeout: 60_000 });
    await expect(panel).toHaveCount(0);
  });

  test('an upgrade starts on the next minor version and is refused for a cluster never deployed', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    await page.getByRole('tab', { name: 'Upgrade & certificates' }).click();
    const upgrade = page.getByRole('region', { name: 'Upgrade Kubernetes' });
    await expect(upgrade).toContainText("The cluster's settings say Kubernetes 1.35.");
    const target = upgrade.getByLabel('Target version');
    await expect(target).toHaveValue('1.36');
    await expect(target.locator('option:checked')).toHaveText('1.36');
    await expect(target.locator('option[value="1.35"]')).toHaveText('1.35 (newer patch release)');

    const start = upgrade.getByRole('button', { name: 'Upgrade Kubernetes…' });
    const batch = upgrade.getByLabel('Workers upgraded at once');
    await expect(batch).toHaveValue('1');
    await batch.fill('0');
    await expect(upgrade.getByText('Enter a whole number from 1 to 50.')).toBeVisible();
    await expect(batch).toHaveAttribute('aria-invalid', 'true');
    await expect(start).toBeDisabled();

    // Keyboard only: a valid batch, then Enter in the form asks for the plan.
    await batch.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('2');
    await expect(start).toBeEnabled();
    await page.keyboard.press('Enter');

    const alert = page.getByRole('alert').filter({ hasText: 'ops-ui has no successful deploy on record to upgrade from.' });
    await expect(alert).toHaveAttribute('data-error-name', 'NotDeployed');
    await expect(alert).toContainText('Deploy it first.');
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('ops-upgrade-refused.png'), fullPage: true });
  });

  test('a backup schedule is planned for every etcd host, with the number kept checked as it is typed', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    await page.getByRole('tab', { name: 'Backups' }).click();
    const keep = page.getByLabel('Snapshots kept per host');
    await keep.fill('0');
    await expect(page.getByText('A whole number from 1 to 1000.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Apply schedule…' })).toBeDisabled();
    await keep.fill('5');
    await page.getByLabel('Snapshot', { exact: true }).selectOption('hourly');
    await page.getByRole('button', { name: 'Apply schedule…' }).click();
    // Planned on this computer alone: the etcd host's timer and script, nothing for the others.
    await expect(page.getByText('Timer: hourly').first()).toBeVisible();
    await expect(page.getByText('Snapshot script (keeps the newest 5)').first()).toBeVisible();
    await expect(page.getByText(/keeps its newest 5/).first()).toBeVisible();
  });

  test('the CA rotation goes step by step: a later step first is refused with the one to run', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    await page.getByRole('tab', { name: 'Upgrade & certificates' }).click();
    await page.getByRole('button', { name: 'CA rotation, step 2 of 3: certificates from the new CAs' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '"reissue" comes after "trust-both"' });
    await expect(alert).toHaveAttribute('data-error-name', 'CaRotationOrder');
    await expect(alert).toContainText('Run "trust-both" first; nothing was changed.');
  });

  test('renewing every certificate without a PKI is refused with a readable reason', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    await page.getByRole('tab', { name: 'Upgrade & certificates' }).click();
    await page.getByRole('button', { name: 'Renew all certificates…' }).click();

    const alert = page
      .getByRole('alert')
      .filter({ hasText: /^The cluster PKI is missing \d+ file\(s\), e\.g\. ca\.crt, ca\.key, etcd\/ca\.crt\./ });
    await expect(alert).toHaveAttribute('data-error-name', 'PkiIncomplete');
    await expect(alert).toContainText('Generate the certificates on the Certificates screen first');
    // A sentence for the user, not a stack trace.
    expect(await alert.innerText()).not.toMatch(/\n\s*at \S+ \(|\.ts:\d+|node:internal/);
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('ops-renew-refused.png'), fullPage: true });
  });

  // Runs a reset against a loopback port nothing listens on: the connection is refused at once, nothing is touched.
  test('a run that fails shows its cause when it is done, and after a reload', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    await page.getByRole('tab', { name: 'Hosts' }).click();
    await page
      .getByRole('table', { name: 'Hosts of the cluster' })
      .locator('tr[data-host="ops-spare"]')
      .getByRole('button', { name: 'Reset…' })
      .click();
    await page.getByLabel('Type "ops-spare" to confirm').fill('ops-spare');
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    const panel = page.getByRole('region', { name: 'Reset ops-spare' });
    await expect(panel.getByRole('status').filter({ hasText: 'Reset stopped with failures' })).toBeVisible({ timeout: 60_000 });
    // Opened once the operation is done, without a click.
    const cause = panel.getByRole('alert').filter({ hasText: 'Why ops-spare failed' });
    await expect(cause).toContainText(/ops-spare \(127\.0\.0\.3:\d+\) refused the connection/);
    await page.screenshot({ path: test.info().outputPath('ops-run-failed.png'), fullPage: true });

    await page.reload();
    const last = page.getByRole('region', { name: 'Reset', exact: true });
    await expect(last.getByRole('status').filter({ hasText: 'Reset stopped with failures' })).toBeVisible();
    await expect(last).toContainText(/Started /);
    await expect(last.locator('tr[data-host="ops-spare"]')).toContainText('failed');
    await expect(last.getByRole('alert').filter({ hasText: 'Why ops-spare failed' })).toContainText('refused the connection');
    // Read only: Resume belongs to a plan read on this screen.
    await expect(last.getByRole('button', { name: 'Resume' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('ops-last-run.png'), fullPage: true });

    await last.getByRole('button', { name: 'Close' }).click();
    await expect(last).toHaveCount(0);
  });

  test('Headlamp opens from the health tab once its add-on is on; an unreachable master is named', async ({ page, server }) => {
    await openCluster(page, server, CLUSTER, '#/operations');
    const section = page.getByRole('region', { name: 'Headlamp' });
    await expect(section).toContainText('Headlamp is not installed: turn it on in the cluster settings and deploy.');
    await expect(section.getByRole('button', { name: 'Open Headlamp' })).toBeDisabled();

    const cluster = await apiCall(server, 'clusters.get', { name: CLUSTER });
    await apiCall(server, 'clusters.save', {
      cluster: { ...cluster, settings: { ...cluster.settings, addons: { ...cluster.settings.addons, headlamp: true } } },
    });
    await page.reload();
    await section.getByRole('button', { name: 'Open Headlamp' }).click();
    await expect(section.getByRole('alert')).toContainText(/ops-m1 \(127\.0\.0\.1:\d+\) refused the connection/, { timeout: 60_000 });
    await expect(section.getByRole('button', { name: 'Open Headlamp' })).toBeEnabled();
    await page.screenshot({ path: test.info().outputPath('ops-headlamp.png'), fullPage: true });
  });
});
