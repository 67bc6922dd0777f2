import { readFile } from 'node:fs/promises';
import { apiCall } from './api';
import { expect, openCluster, test } from './fixtures';

const SEED = ['192.168.50.20-22', '192.168.50.10-11', '192.168.50.40-42'].join('\n');

test.describe('certificates', () => {
  test.describe.configure({ timeout: 120_000 });

  test.beforeAll(async ({ server }) => {
    await apiCall(server, 'clusters.create', { name: 'pki' });
    const { cluster } = await apiCall(server, 'hosts.paste', { cluster: 'pki', text: SEED });
    const roles: Record<string, ('etcd' | 'master' | 'node')[]> = {};
    for (const host of cluster.hosts) {
      const last = Number(host.address.split('.').at(-1));
      roles[host.id] = last >= 20 && last <= 22 ? ['etcd'] : last <= 11 ? ['master'] : ['node'];
    }
    await apiCall(server, 'hosts.setRoles', { cluster: 'pki', roles });
  });

  test('generate the PKI with progress, read every certificate, view, renew and export', async ({ page, server }) => {
    await openCluster(page, server, 'pki');
    await page.getByRole('link', { name: 'Certificates', exact: true }).click();
    await expect(page.getByText('No certificates yet')).toBeVisible();
    await expect(page.getByTestId('key-protection')).toContainText('Browser mode has no OS keychain');

    await page.getByRole('button', { name: 'Generate certificates' }).click();
    await expect(page.getByRole('status').filter({ hasText: /Issued \d+, kept 0/ })).toBeVisible({ timeout: 90_000 });

    const table = page.getByRole('table', { name: 'Certificates of the cluster' });
    const apiserver = table.locator('tr[data-cert-id="apiserver"]');
    await expect(apiserver).toContainText('kubernetes.default.svc.cluster.local');
    await expect(apiserver).toContainText('10.96.0.1');
    await expect(apiserver).toContainText('192.168.50.10');
    await expect(apiserver).toContainText('serverAuth');
    await expect(apiserver.getByTestId('days-left')).toHaveText(/^36[45]$/);
    await expect(table.locator('tr[data-cert-id="ca"]')).toContainText('kubernetes-ca');
    await expect(table.locator('tr[data-cert-id="etcd/ca"]')).toContainText('etcd-ca');
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(20);

    await apiserver.getByRole('button', { name: 'View PEM' }).click();
    const pemBefore = await page.getByTestId('pem').innerText();
    expect(pemBefore).toMatch(/^-----BEGIN CERTIFICATE-----/);
    await page.getByRole('button', { name: 'Close' }).click();

    await apiserver.getByRole('button', { name: 'Renew' }).click();
    await expect
      .poll(async () => {
        await apiserver.getByRole('button', { name: 'View PEM' }).click();
        const pem = await page.getByTestId('pem').innerText();
        await page.getByRole('button', { name: 'Close' }).click();
        return pem;
      })
      .not.toBe(pemBefore);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save admin.conf' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('pki-admin.conf');
    const text = await readFile((await file.path())!, 'utf8');
    expect(text).toContain('client-certificate-data');
    expect(text).toContain('server: https://192.168.50.10:6443');
  });

  test('ECDSA P-256 is offered, re-issues every leaf under the same CAs, and stays selected', async ({ page, server }) => {
    await openCluster(page, server, 'pki');
    await page.getByRole('link', { name: 'Certificates', exact: true }).click();
    const keyType = page.getByLabel('Key type');
    await expect(keyType).toHaveValue('rsa-2048');
    await keyType.selectOption({ label: 'ECDSA P-256' });
    await page.getByRole('button', { name: 'Update certificates' }).click();
    await expect(page.getByRole('status').filter({ hasText: /Issued 26, kept 4/ })).toBeVisible({ timeout: 30_000 });

    const state = await apiCall(server, 'pki.list', { cluster: 'pki' });
    expect(state.keyType).toBe('ecdsa-p256');
    const algorithms = (id: string) => state.listing.certificates.find((c) => c.id === id)?.keyAlgorithm;
    expect(algorithms('apiserver')).toBe('EC prime256v1');
    expect(algorithms('ca')).toBe('RSA 2048');

    await page.reload();
    await page.getByRole('link', { name: 'Certificates', exact: true }).click();
    await expect(page.getByLabel('Key type')).toHaveValue('ecdsa-p256');
  });

  test('a bad SAN is refused with the reason and nothing is overwritten', async ({ server }) => {
    const before = await apiCall(server, 'pki.list', { cluster: 'pki' });
    const cluster = await apiCall(server, 'clusters.get', { name: 'pki' });
    // The gate into the model refuses it before it reaches cluster.yaml, naming the field.
    await expect(
      apiCall(server, 'clusters.save', { cluster: { ...cluster, settings: { ...cluster.settings, extraSans: ['not a valid name!'] } } }),
    ).rejects.toThrow(/InvalidCluster: .*settings\.extraSans: "not a valid name!"/);

    const after = await apiCall(server, 'pki.list', { cluster: 'pki' });
    expect(after.listing.certificates.map((c) => c.serialNumber)).toEqual(before.listing.certificates.map((c) => c.serialNumber));
  });
});
