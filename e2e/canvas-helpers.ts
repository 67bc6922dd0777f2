import { expect, type Locator, type Page } from '@playwright/test';

/** A host's card in a lane of the topology canvas ('pool', 'etcd', 'master', 'node'). */
export function chip(page: Page, lane: string, hostName: string): Locator {
  return page.locator(`[data-chip-id^="${lane}:"][data-host-name="${hostName}"]`);
}

export function lane(page: Page, id: string): Locator {
  return page.locator(`[data-lane="${id}"]`);
}

/** Drags with real pointer events: press, move past dnd-kit's activation distance, glide to the lane, release. */
export async function dragWithMouse(page: Page, card: Locator, target: Locator): Promise<void> {
  await card.scrollIntoViewIfNeeded();
  const from = (await card.boundingBox())!;
  const to = (await target.boundingBox())!;
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 12, start.y + 4, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(60, to.height / 2), { steps: 15 });
  await expect(target).toHaveAttribute('data-over', 'true');
  await page.mouse.up();
}

/** Focus, Space to pick up, arrow keys to move lane by lane, Space to drop. */
export async function dragWithKeyboard(page: Page, card: Locator, key: 'ArrowRight' | 'ArrowLeft', lanesToMove: string[]): Promise<void> {
  await card.focus();
  await page.keyboard.press('Space');
  await expect(card).toHaveAttribute('aria-pressed', 'true');
  // dnd-kit measures the lanes in an effect after the pick-up renders; an arrow pressed before that finds no lane.
  await page.evaluate(
    () =>
      new Promise((done) => {
        const frame = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
        frame(() => frame(() => done(undefined)));
      }),
  );
  for (const id of lanesToMove) {
    await page.keyboard.press(key);
    await expect(lane(page, id)).toHaveAttribute('data-over', 'true');
  }
  await page.keyboard.press('Space');
}
