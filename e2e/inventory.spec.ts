import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';

const PASSWORD = 'e2e-Pa55word-that-must-not-leak';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(...(entry.isDirectory() ? await filesUnder(path) : [path]));
  }
  return out;
}

test('a host added through the form with a password: the password is saved, but not in cluster.yaml or anywhere on disk', async ({
  page,
  server,
}) => {
  await page.goto(server.url);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await page.getByRole('button', { name: 'New cluster' }).click();
  await page.getByLabel('Name of the new cluster').fill('formtest');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByLabel('Cluster', { exact: true })).toHaveValue('formtest');
  await expect(page.getByTestId('secrets-note')).toContainText('kept in memory only');

  await page.getByRole('button', { name: 'Add host' }).click();
  const form = page.getByRole('form', { name: 'Add a host' });
  await form.getByLabel('Name', { exact: true }).fill('etcd-1');
  await form.getByLabel('Address (IPv4, IPv6 or DNS name)').fill('192.168.50.300');
  await form.getByLabel('User', { exact: true }).fill('admin');
  await form.getByRole('radio', { name: 'Password', exact: true }).check();
  await form.getByLabel('Login password').fill(PASSWORD);
  await form.getByRole('radio', { name: 'sudo with a password' }).check();
  await form.getByLabel('sudo password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Save host' }).click();
  await expect(form.getByText('Not an IPv4 or IPv6 address or a DNS name.')).toBeVisible();
  await form.getByLabel('Address (IPv4, IPv6 or DNS name)').fill('192.168.50.20');
  await form.getByRole('button', { name: 'Save host' }).click();

  const card = page.locator('.host-card[data-host-name="etcd-1"]');
  await expect(card).toContainText('admin@192.168.50.20');
  await expect(card.getByTestId('secret-badge')).toHaveText(['password saved', 'sudo password saved']);

  const yaml = await readFile(join(server.dataDir, 'clusters', 'formtest', 'cluster.yaml'), 'utf8');
  expect(yaml).toContain('192.168.50.20');
  expect(yaml).not.toContain(PASSWORD);
  for (const file of await filesUnder(server.dataDir)) {
    const bytes = await readFile(file);
    expect(bytes.includes(PASSWORD), file).toBe(false);
    expect(bytes.includes(Buffer.from(PASSWORD).toString('base64')), file).toBe(false);
  }
  // The page never gets the password back either.
  expect(await page.content()).not.toContain(PASSWORD);
});

test('pasting shows each bad line before anything is added', async ({ page, server }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'New cluster' }).click();
  await page.getByLabel('Name of the new cluster').fill('pastetest');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('button', { name: 'Paste a list' }).click();
  await page.getByLabel('Addresses, one a line').fill('10.0.0.1-3\n10.0.0.2\nnode-x 10.0.0.999');
  await expect(page.getByTestId('paste-errors').getByRole('listitem')).toHaveText([
    'Line 2: 10.0.0.2 is already on line 1.',
    'Line 3: "10.0.0.999" is not an IPv4 or IPv6 address or a DNS name.',
  ]);
  await expect(page.getByRole('button', { name: /^Add hosts/ })).toBeDisabled();
});
