import { expect, test } from './fixtures';

test('the About screen shows the versions and says browser mode has no updater, in both languages', async ({ page, server }) => {
  await page.goto(server.url);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'About', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('About');
  const versions = page.getByTestId('about-versions');
  await expect(versions).toContainText('Node.js');
  await expect(versions).toContainText(/\d+\.\d+\.\d+/);
  await expect(versions).toContainText('Browser mode');
  await expect(versions).not.toContainText('Electron');
  const update = page.getByTestId('update-status');
  await expect(update).toHaveAttribute('data-phase', 'unsupported');
  await expect(update).toContainText('Browser mode has no updater');
  await expect(page.getByRole('button', { name: 'Check for updates' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('link', { name: '关于' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('关于');
  await expect(versions).toContainText('浏览器模式');
  await expect(update).toContainText('此处没有更新程序');
  await page.getByRole('link', { name: '设置' }).click();
  await page.getByLabel('语言').selectOption('en');
});
