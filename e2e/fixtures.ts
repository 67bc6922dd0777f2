import { test as base, expect } from '@playwright/test';
import { startServer, type RunningServer } from './browser-mode';

/** Each worker gets its own browser-mode server and workspace; the test files it runs share them. */
export const test = base.extend<object, { server: RunningServer }>({
  server: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';

/**
 * Opens the app on one cluster. Test files share their worker's server, so other files' clusters
 * may be there too; the app would otherwise open the first one.
 */
export async function openCluster(page: import('@playwright/test').Page, server: RunningServer, cluster: string, hash = ''): Promise<void> {
  await page.goto(`${server.url}${hash}`);
  const picker = page.getByLabel('Cluster', { exact: true });
  await picker.selectOption(cluster);
  await expect(picker).toHaveValue(cluster);
}
