import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { changeHostKey } from '../test/lab/faults';
import { labUnsupportedReason, labUp, type LabHost } from '../test/lab/lab';
import { clusterWithLabHost } from './api';
import { expect, openCluster, test } from './fixtures';

// A real host: a lab container with its own sshd. Needs root, as CI has.
const skipReason = labUnsupportedReason();
if (skipReason) console.log(`terminals.spec.ts: skipped — ${skipReason}`);

test.describe('terminals on a lab host', () => {
  test.skip(!!skipReason, skipReason ?? '');
  test.describe.configure({ timeout: 240_000 });

  let host: LabHost;
  test.beforeAll(async ({ server }) => {
    test.setTimeout(600_000);
    host = (await labUp(3))[0]!;
    await clusterWithLabHost(server, 'termlab', host);
    // These tests are about first contact: lab hosts get new host keys when they boot, so no earlier entry applies.
    await rm(join(server.dataDir, 'known_hosts'), { force: true });
  });

  const rows = (page: import('@playwright/test').Page) => page.locator('.terminal-pane .xterm-rows');

  async function runInTerminal(page: import('@playwright/test').Page, command: string) {
    await page.locator('.terminal-pane .xterm-helper-textarea').focus();
    await page.keyboard.insertText(command);
    await page.keyboard.press('Enter');
  }

  test('probe a host and trust its key, open a terminal from its card, type, resize, and stay responsive under a flood', async ({
    page,
    server,
  }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openCluster(page, server, 'termlab');
    await page.getByRole('link', { name: 'Inventory', exact: true }).click();
    const card = page.locator(`[data-host-name="${host.name}"]`);

    // First contact, from Probe: the host key is shown for the user to trust, in OpenSSH's format.
    await card.getByRole('button', { name: 'Probe' }).click();
    const dialog = page.getByRole('dialog', { name: 'Trust this host?' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('host-key-fingerprint')).toHaveText(/^SHA256:[A-Za-z0-9+/]{43}$/);
    await dialog.getByRole('button', { name: 'Trust and connect' }).click();
    await expect(card.getByTestId('probe-facts')).toContainText('Debian GNU/Linux 12');

    // The key is known now: the terminal opens without asking again.
    await card.getByRole('button', { name: 'Open terminal' }).click();
    await expect(page).toHaveURL(/#\/terminals$/);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByRole('tab', { name: host.name })).toBeVisible();
    await expect(rows(page)).toContainText('#', { timeout: 30_000 });

    await runInTerminal(page, 'echo 你好; tput cols');
    await expect(rows(page)).toContainText('你好');
    // tput's answer comes after the echo's: wait for it rather than read the screen in between.
    await expect.poll(() => lastNumber(page)).toBeGreaterThan(40);
    const colsBefore = await lastNumber(page);

    // The pane follows the window: tput sees the new width.
    await page.setViewportSize({ width: 900, height: 700 });
    await expect
      .poll(async () => {
        await runInTerminal(page, 'clear; tput cols');
        return lastNumber(page);
      })
      .toBeLessThan(colsBefore);

    // A flood of output: the page keeps painting frames and stays usable, and all of it arrives.
    await runInTerminal(page, 'clear; seq 1 200000; echo flood-$((40+2))');
    const worstFrameMs = await page.evaluate(async () => {
      let worst = 0;
      let last = performance.now();
      const until = last + 3000;
      while (performance.now() < until) {
        await new Promise((r) =>
          (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => r(0)),
        );
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }
      return worst;
    });
    expect(worstFrameMs).toBeLessThan(1000);
    await expect(rows(page)).toContainText('flood-42', { timeout: 60_000 });
    await expect(rows(page)).toContainText('200000');
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Settings');

    // The tab survives leaving the screen, scrollback included, and still takes input.
    await page.getByRole('link', { name: 'Terminals', exact: true }).click();
    await expect(rows(page)).toContainText('flood-42');
    await runInTerminal(page, 'echo still-$((6*7))');
    await expect(rows(page)).toContainText('still-42');

    // When the session ends the tab says so and offers to reconnect, without asking about the key again.
    await runInTerminal(page, 'exit');
    await expect(page.getByRole('alert')).toContainText('Session ended');
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await runInTerminal(page, 'echo back-$((40+2))');
    await expect(rows(page)).toContainText('back-42');
  });

  test('a changed host key is refused loudly, and trusted again only deliberately', async ({ page, server }) => {
    await openCluster(page, server, 'termlab');
    await page.getByRole('link', { name: 'Inventory', exact: true }).click();
    const card = page.locator(`[data-host-name="${host.name}"]`);
    // Trusted once (here, unless the test before already did)…
    await card.getByRole('button', { name: 'Probe' }).click();
    const firstContact = page.getByRole('dialog', { name: 'Trust this host?' });
    await expect(firstContact.or(card.getByTestId('probe-facts'))).toBeVisible();
    if (await firstContact.isVisible()) await firstContact.getByRole('button', { name: 'Trust and connect' }).click();
    await expect(card.getByTestId('probe-facts')).toContainText('Debian GNU/Linux 12');

    // …then the machine gets a new host key.
    await changeHostKey(host);
    await card.getByRole('button', { name: 'Probe' }).click();
    await expect(card.getByTestId('probe-error')).toHaveAttribute('data-error-name', 'HostKeyMismatch');
    await expect(card.getByTestId('probe-error')).toContainText('HAS CHANGED');
    await expect(card.getByTestId('new-host-key')).toContainText(/SHA256:[A-Za-z0-9+/]{43}/);
    await card.getByRole('button', { name: 'I checked it: trust the new key' }).click();
    await card.getByRole('button', { name: /^Replace the known key of/ }).click();
    await expect(card.getByTestId('probe-facts')).toContainText('Debian GNU/Linux 12');
  });
});

async function lastNumber(page: import('@playwright/test').Page): Promise<number> {
  const text = await page.locator('.terminal-pane .xterm-rows').innerText();
  const numbers = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^\d+$/.test(l));
  return Number(numbers.at(-1) ?? NaN);
}
