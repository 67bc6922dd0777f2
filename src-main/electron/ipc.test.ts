import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src-shared/contract/api';
import { createBackend, type Backend } from '../backend';
import { registerApiIpc } from './ipc';

type Listener = (event: unknown, payload: unknown) => Promise<unknown>;

/** Records what registerApiIpc asks of ipcMain; the real ipcMain cannot load without Electron. */
function recordingIpcMain() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (channel: string, listener: Listener) => void handlers.set(channel, listener),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('registerApiIpc', () => {
  let dir: string;
  let backend: Backend;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-ipc-'));
    backend = createBackend({ dataDir: dir, mode: 'electron', version: 'test' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('registers exactly one channel per contract method and removes them all', () => {
    const ipc = recordingIpcMain();
    const unregister = registerApiIpc(ipc as never, backend);
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `ks:call:${m}`).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers the app frame and refuses other senders without acting', async () => {
    const ipc = recordingIpcMain();
    registerApiIpc(ipc as never, backend);
    const create = ipc.handlers.get('ks:call:clusters.create')!;
    for (const sender of [
      frame('https://evil.example/'),
      frame('file:///tmp/x.html'),
      frame('app://kubesmith/index.html', { url: 'x' }),
      { senderFrame: null },
    ]) {
      expect(await create(sender, { name: 'evil' })).toMatchObject({ ok: false, error: { name: 'ForbiddenSender' } });
    }
    expect(await backend.context.workspace.list()).toEqual([]);
    expect(await create(frame('app://kubesmith/index.html'), { name: 'homelab' })).toMatchObject({ ok: true });
    expect(await create(frame('app://kubesmith/index.html'), { name: 'Bad Name' })).toMatchObject({
      ok: false,
      error: { name: 'InvalidRequest' },
    });
  });
});
