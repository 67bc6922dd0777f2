import { expect, test } from './fixtures';

test('the offline bundle screen names each bad field before asking the backend, in both languages', async ({ page, server }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Offline bundle', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Offline bundle');
  await page.getByLabel('Folder on this computer').fill('relative/folder');
  await page.getByRole('checkbox', { name: 'amd64' }).uncheck();
  await page.getByLabel('quay.io').fill('ftp://mirror.lab');
  await page.getByRole('button', { name: 'Make bundle' }).click();
  await expect(page.getByText('Give an absolute folder path.')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Pick at least one.' })).toBeVisible();
  await expect(page.getByText('"ftp://mirror.lab" is not an http:// or https:// URL.')).toBeVisible();
  await expect(page.getByLabel('Folder on this computer')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('bundle-progress')).toHaveCount(0);

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('link', { name: '离线包' }).click();
  await expect(page.getByRole('button', { name: '制作离线包' })).toBeVisible();
});
