// Terminal throughput: `seq 1 1000000` on a lab host, drawn in the app's terminal (browser mode in
// Chromium, through the API's flow-controlled stream and xterm.js), against the same command through
// OpenSSH's own client on a PTY into /dev/null, in the same run. Needs root (the lab) and `npm run build`.
import { chromium } from '@playwright/test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { clusterWithLabHost } from '../../e2e/api';
import { startServer } from '../../e2e/browser-mode';
import { CHROMIUM_ARGS } from '../../playwright.config.mjs';
import { labUnsupportedReason, labUp } from '../../test/lab/lab';

const run = promisify(execFile);
const COMMAND = 'seq 1 1000000';

async function main(): Promise<void> {
  const unsupported = labUnsupportedReason();
  if (unsupported) {
    console.log(`terminal: skipped — ${unsupported}`);
    return;
  }
  const host = (await labUp(3))[0]!;
  const sshArgs = ['-i', host.rootKeyPath, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'];

  // Reference: OpenSSH with a PTY (-tt), as an interactive terminal would have, output thrown away.
  const sshStart = performance.now();
  await run('sh', ['-c', `ssh -tt ${sshArgs.join(' ')} root@${host.address} '${COMMAND}' > /dev/null`]);
  const sshMs = performance.now() - sshStart;

  const server = await startServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await clusterWithLabHost(server, 'bench', host);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('button', { name: 'Open terminal' }).click();
    await page.getByRole('button', { name: 'Trust and connect' }).click();
    const rows = page.locator('.terminal-pane .xterm-rows');
    await rows.getByText('#').first().waitFor({ timeout: 30_000 });
    await page.locator('.terminal-pane .xterm-helper-textarea').focus();
    await page.keyboard.insertText(`clear; ${COMMAND}; echo bench-$((40+2))`);
    const appStart = performance.now();
    await page.keyboard.press('Enter');
    await rows.getByText('bench-42', { exact: true }).waitFor({ timeout: 600_000 });
    const appMs = performance.now() - appStart;
    console.log(
      `terminal: ${COMMAND} (6.9 MB) drawn in the app ${(appMs / 1000).toFixed(2)}s, OpenSSH to /dev/null ${(sshMs / 1000).toFixed(2)}s, ratio ${(appMs / sshMs).toFixed(2)}`,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
