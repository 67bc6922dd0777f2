import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Locator } from '@playwright/test';
import { buildLabBundle } from '../test/deploy/lab-bundle';
import { resetDeployedHosts } from '../test/deploy/lab-reset';
import { hostPublicKey } from '../test/lab/faults';
import { ensureImage, labUp } from '../test/lab/lab';
import { labUnsupportedReason } from '../test/lab/preflight';
import type { LabHost } from '../test/lab/types';
import { apiCall } from './api';
import { startServer, type RunningServer } from './browser-mode';

const labReason = labUnsupportedReason();
/** The budget: from an empty data folder to a started deploy of the seed topology. */
const ACTION_BUDGET = 6;

/**
 * A new user's way, counted: an empty data folder, eight lab machines the user already reaches with ssh (their
 * ~/.ssh/config names the key, their known_hosts has the machines' keys, as after a first `ssh root@…`), and a machine
 * without internet (the lab's offline bundle, named once by KUBESMITH_OFFLINE_BUNDLE). Every click counts one action,
 * and typing into one field counts one. Run under `flock /tmp/ks-lab.lock`: the lab is shared.
 */
base.describe('first run: empty app to a started deploy', () => {
  base.skip(labReason !== undefined, `needs the lab: ${labReason}`);
  base.describe.configure({ timeout: 600_000 });

  let hosts: LabHost[];
  let server: RunningServer;
  let scratch: string;

  base.beforeAll(async () => {
    base.setTimeout(600_000);
    hosts = await labUp(8);
    await resetDeployedHosts(hosts);
    scratch = await mkdtemp(join(tmpdir(), 'ks-journey-'));
    const home = join(scratch, 'home');
    await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    await writeFile(join(home, '.ssh', 'config'), `Host *\n  User root\n  IdentityFile ${hosts[0]!.rootKeyPath}\n`);
    const known = await Promise.all(hosts.map(async (h) => `${h.address} ${await hostPublicKey(h)}`));
    await writeFile(join(home, '.ssh', 'known_hosts'), `${known.join('\n')}\n`);
    const bundle = join(scratch, 'bundle');
    buildLabBundle(bundle, (await ensureImage()).rootfs, '1.37');
    server = await startServer({ HOME: home, KUBESMITH_OFFLINE_BUNDLE: bundle, SSH_AUTH_SOCK: '' });
  });

  base.afterAll(async () => {
    if (server) {
      await apiCall(server, 'deploy.cancel', { cluster: 'homelab' }).catch(() => undefined);
      await server.stop();
    }
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  base('welcome → Create a cluster → Suggest roles → Deploy, within the action budget', async ({ page }) => {
    let actions = 0;
    const click = async (target: Locator) => {
      actions++;
      await target.click();
    };
    const type = async (target: Locator, text: string) => {
      actions++;
      await target.fill(text);
    };
    const lastOctets = hosts.map((h) => Number(h.address.split('.').pop()));
    const first = hosts[0]!.address;
    expect(lastOctets).toEqual(lastOctets.map((_, i) => lastOctets[0]! + i));

    await page.goto(server.url);
    await expect(page.getByText('Kubesmith turns a handful of machines')).toBeVisible();
    await click(page.getByRole('button', { name: 'Create a cluster' }));
    const dialog = page.getByRole('dialog', { name: 'A new cluster' });
    await expect(dialog.getByLabel('Cluster name')).toHaveValue('homelab');
    // User and key as ~/.ssh/config's "Host *" says.
    await expect(dialog.getByLabel('SSH user')).toHaveValue('root');
    await expect(dialog.getByLabel('Log in with')).toHaveValue(hosts[0]!.rootKeyPath);
    await type(dialog.getByLabel('Machines: addresses or ranges, one a line'), `${first}-${lastOctets.at(-1)}`);
    await click(dialog.getByRole('button', { name: 'Create and probe (8)' }));

    // Probed at once: every chip shows the machine's facts.
    await expect(page).toHaveURL(/#\/topology$/);
    const chips = page.locator('.host-chip');
    await expect(chips).toHaveCount(8);
    await expect(page.locator('.host-chip .chip-os')).toHaveCount(8, { timeout: 120_000 });
    await expect(chips.first()).toContainText(/\d+ CPU/);
    await expect(page.locator('[data-code="noRole"]')).toContainText('8 hosts have no role');

    await click(page.getByRole('button', { name: 'Suggest roles' }));
    await expect(page.getByTestId('suggest-reason')).toHaveAttribute('data-code', 'separateEtcd');
    await expect(page.getByTestId('role-counts')).toHaveText('etcd 3 · control plane 2 · worker 3 · unassigned 0');
    await expect(page.getByTestId('ha-state')).toHaveAttribute('data-ha', 'true');

    await click(page.getByRole('button', { name: 'Deploy', exact: true }));
    await expect(page).toHaveURL(/#\/deploy$/);
    await click(page.getByRole('button', { name: 'Deploy', exact: true }));

    // Started: the run has a row per host, and the certificates were made on the way (no detour, no PkiIncomplete).
    await expect(page.locator('tr.deploy-host')).toHaveCount(8, { timeout: 120_000 });
    await expect(page.locator('[data-error-name="PkiIncomplete"]')).toHaveCount(0);
    const pki = await readdir(join(server.dataDir, 'clusters', 'homelab', 'pki'), { recursive: true });
    expect(pki).toContain('apiserver.crt');

    base.info().annotations.push({ type: 'actions', description: `${actions} of at most ${ACTION_BUDGET}` });
    console.log(`first-run journey: ${actions} user actions (budget ${ACTION_BUDGET})`);
    expect(actions).toBeLessThanOrEqual(ACTION_BUDGET);
  });
});
