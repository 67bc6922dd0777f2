import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW, loadWindowState, saveWindowState } from './window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-win-'));
    file = join(dir, 'window.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('remembers size, place and maximized', async () => {
    await saveWindowState(file, { x: 100, y: 50, width: 1000, height: 700 }, true);
    expect(await loadWindowState(file, screen)).toEqual({ x: 100, y: 50, width: 1000, height: 700, maximized: true });
  });

  it('falls back to the default when the file is missing or corrupt', async () => {
    expect(await loadWindowState(file, screen)).toEqual(DEFAULT_WINDOW);
    await writeFile(file, '{not json');
    expect(await loadWindowState(file, screen)).toEqual(DEFAULT_WINDOW);
    await writeFile(file, JSON.stringify({ width: 5, height: 5 }));
    expect(await loadWindowState(file, screen)).toEqual(DEFAULT_WINDOW);
  });

  it('keeps the size but drops a place that is on no screen now', async () => {
    await saveWindowState(file, { x: 3000, y: 50, width: 1000, height: 700 }, false);
    expect(await loadWindowState(file, screen)).toEqual({ width: 1000, height: 700, maximized: false });
  });
});
