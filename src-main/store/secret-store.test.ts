import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plainCipher } from './secret-cipher';
import { SecretStore } from './secret-store';
import { fakeKeychainCipher } from '../../test/support/store/test-ciphers';
import { Workspace } from './workspace';
import { filesUnder } from '../../test/support/store/test-files';

const PASSWORD = 'correct horse battery staple';

describe('SecretStore', () => {
  let dir: string;
  let ws: Workspace;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-secrets-'));
    ws = new Workspace(dir);
    await ws.create('homelab');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('without an encrypting cipher keeps secrets in memory only: nothing reaches the disk', async () => {
    const store = new SecretStore(ws, plainCipher);
    expect(store.persistent).toBe(false);
    await store.update('homelab', 'h1', { password: PASSWORD, sudoPassword: 'sudo-pw' });
    expect(await store.get('homelab', 'h1', 'password')).toBe(PASSWORD);
    expect(await store.presence('homelab', 'h1')).toEqual({ password: true, passphrase: false, sudoPassword: true });
    for (const file of await filesUnder(dir)) {
      expect((await readFile(file)).includes(PASSWORD), file).toBe(false);
    }
    // A restart forgets them.
    expect(await new SecretStore(ws, plainCipher).get('homelab', 'h1', 'password')).toBeUndefined();
  });

  it('with an encrypting cipher seals them into state/secrets.json (0600) and reads them back after a restart', async () => {
    const cipher = fakeKeychainCipher();
    const store = new SecretStore(ws, cipher);
    await store.update('homelab', 'h1', { password: PASSWORD });
    await store.update('homelab', 'h2', { passphrase: 'key-pass' });
    const file = join(dir, 'clusters', 'homelab', 'state', 'secrets.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(JSON.parse(text)).toEqual({
      version: 1,
      hosts: { h1: { password: expect.any(String) }, h2: { passphrase: expect.any(String) } },
    });

    const restarted = new SecretStore(ws, cipher);
    expect(await restarted.get('homelab', 'h1', 'password')).toBe(PASSWORD);
    expect(await restarted.presenceAll('homelab')).toEqual({
      h1: { password: true, passphrase: false, sudoPassword: false },
      h2: { password: false, passphrase: true, sudoPassword: false },
    });
  });

  it('forgets one kind or a whole host, and concurrent writes lose nothing', async () => {
    const store = new SecretStore(ws, fakeKeychainCipher());
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.update('homelab', `h${i}`, { password: `pw-${i}` })));
    expect(Object.keys(await store.presenceAll('homelab'))).toHaveLength(10);
    await store.update('homelab', 'h1', { password: undefined });
    expect(await store.presence('homelab', 'h1')).toEqual({ password: false, passphrase: false, sudoPassword: false });
    await store.forgetHost('homelab', 'h2');
    expect(await store.get('homelab', 'h2', 'password')).toBeUndefined();
    expect(await store.get('homelab', 'h3', 'password')).toBe('pw-3');
  });
});
