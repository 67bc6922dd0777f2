import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend } from '../backend';

describe('app.about and the updater calls', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-about-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('in browser mode: Node version, no Electron, and an updater that says there is none', async () => {
    const backend = createBackend({ dataDir: dir, mode: 'browser', version: '1.2.3' });
    const about = await backend.dispatch('app.about', {});
    expect(about).toMatchObject({
      ok: true,
      value: { version: '1.2.3', mode: 'browser', electron: null, chromium: null, node: process.versions.node, dataDir: dir },
    });
    const update = about.ok ? (about.value as { update: { phase: string; message: string } }).update : undefined;
    expect(update?.phase).toBe('unsupported');
    expect(update?.message).toMatch(/^Browser mode has no updater/);
    expect(await backend.dispatch('app.checkForUpdates', {})).toMatchObject({ ok: true, value: { phase: 'unsupported' } });
    expect(await backend.dispatch('app.restartToUpdate', {})).toMatchObject({ ok: false, error: { name: 'NoUpdater' } });
    await backend.close();
  });

  it('in a desktop app run from source: no updater, and it says to update with git', async () => {
    const backend = createBackend({ dataDir: dir, mode: 'electron', version: '1.2.3' });
    const result = await backend.dispatch('app.checkForUpdates', {});
    expect(result).toMatchObject({ ok: true, value: { phase: 'unsupported' } });
    expect(result.ok && (result.value as { message: string }).message).toMatch(/runs from its source/);
    await backend.close();
  });
});
