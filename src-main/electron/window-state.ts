import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-write';
import type { WindowBounds } from './window-options';

const BoundsSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean().default(false),
});
export type SavedWindowState = z.infer<typeof BoundsSchema>;

export const DEFAULT_WINDOW: SavedWindowState = { width: 1280, height: 820, maximized: false };

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The last window size and place, or the default when missing, corrupt, or off every screen now. */
export async function loadWindowState(file: string, displays: readonly Area[]): Promise<SavedWindowState> {
  let saved: SavedWindowState;
  try {
    saved = BoundsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return DEFAULT_WINDOW;
  }
  if (saved.x === undefined || saved.y === undefined) return saved;
  const { x, y } = saved;
  // A monitor that was unplugged must not leave the window where nobody can see it.
  const visible = displays.some((d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y && y < d.y + d.height - 50);
  return visible ? saved : { width: saved.width, height: saved.height, maximized: saved.maximized };
}

export async function saveWindowState(file: string, bounds: WindowBounds, maximized: boolean): Promise<void> {
  await writeFileAtomic(file, JSON.stringify({ ...bounds, maximized }, null, 2));
}
