import { test as base } from '@playwright/test';
import { startServer, type RunningServer } from './browser-mode';

/** Each test file's worker gets its own browser-mode server and empty workspace. */
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
