import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../backend';
import { KeyPool } from '../pki';
import { seedCluster } from '../../test/support/pki-fixtures';
import { pkiHandlers } from './pki-handlers';
import { putCluster } from '../../test/support/store/test-clusters';

describe('PKI handlers with the key pool', { timeout: 60_000 }, () => {
  let dir: string;
  let backend: Backend;
  let pool: KeyPool;
  let handlers: ReturnType<typeof pkiHandlers>;
  const poolHolds = (size: number) => vi.waitFor(() => expect(pool.size).toBe(size), { timeout: 30_000, interval: 20 });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-pki-handlers-'));
    backend = createBackend({ dataDir: dir, mode: 'browser', version: 'test' });
    await backend.context.workspace.create('lab');
    await putCluster(backend.context.workspace, seedCluster('lab'));
    pool = new KeyPool({ maxKeys: 3 });
    handlers = pkiHandlers(backend.context, pool);
  });
  afterEach(async () => {
    await pool.close();
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fills the pool when the PKI is listed, refills it with the type just generated, and renews with the PKI key type', async () => {
    const before = await handlers['pki.list']({ cluster: 'lab' });
    expect(before.keyType).toBeUndefined();
    await poolHolds(3);
    expect(pool.take('ecdsa-p256')).toBeUndefined();

    await handlers['pki.generate']({ cluster: 'lab', taskId: 't1', keyType: 'ecdsa-p256' });
    await poolHolds(3);
    expect((await handlers['pki.list']({ cluster: 'lab' })).keyType).toBe('ecdsa-p256');

    const renewed = await handlers['pki.renew']({ cluster: 'lab', id: 'apiserver' });
    expect(pool.size).toBe(2);
    expect(renewed.certificates.find((c) => c.id === 'apiserver')?.keyAlgorithm).toBe('EC prime256v1');
    await poolHolds(3);
  });
});
