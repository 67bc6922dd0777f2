import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labCluster } from '../../test/support/deploy/fixtures';
import { generateClusterPki } from '../pki';
import { plainCipher } from '../store/secret-cipher';
import { Workspace } from '../store/workspace';
import { CaRotation } from './ca-rotation';
import { putCluster } from '../../test/support/store/test-clusters';

describe('CaRotation', () => {
  let dir: string;
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('makes new CAs once with the same service-account key, keeps the steps in order, and swaps pki/ whole', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-rotate-'));
    const workspace = new Workspace(dir);
    await workspace.create('lab');
    const cluster = await putCluster(workspace, { ...labCluster(3), name: 'lab' });
    const pkiDir = workspace.pkiDir('lab');
    // ECDSA keys keep the test quick; the rotation keeps the key type it finds.
    await generateClusterPki(cluster, { pkiDir, cipher: plainCipher, keyType: 'ecdsa-p256' });
    const oldCa = await readFile(join(pkiDir, 'ca.crt'), 'utf8');
    const sa = await readFile(join(pkiDir, 'sa.key'), 'utf8');

    const rotation = new CaRotation(workspace, 'lab', plainCipher);
    await expect(rotation.checkOrder('reissue')).rejects.toMatchObject({ name: 'CaRotationOrder' });
    await rotation.checkOrder('trust-both');
    const next = await rotation.nextPki(cluster);
    const newCa = await readFile(join(next, 'ca.crt'), 'utf8');
    expect(newCa).not.toBe(oldCa);
    expect(await readFile(join(next, 'sa.key'), 'utf8')).toBe(sa);
    // Made once: a second plan of the same rotation installs the same CAs.
    expect(await readFile(join(await rotation.nextPki(cluster), 'ca.crt'), 'utf8')).toBe(newCa);

    await rotation.completed('trust-both');
    await rotation.checkOrder('reissue');
    await expect(rotation.checkOrder('finish')).rejects.toMatchObject({ name: 'CaRotationOrder' });
    await rotation.completed('reissue');
    await rotation.checkOrder('finish');
    await rotation.completed('finish');

    expect(await readFile(join(pkiDir, 'ca.crt'), 'utf8')).toBe(newCa);
    expect(await readFile(join(pkiDir, 'sa.key'), 'utf8')).toBe(sa);
    expect(await readdir(workspace.stateDir('lab'))).not.toContain('ca-rotation');
    expect(await readdir(workspace.clusterDir('lab'))).toEqual(expect.not.arrayContaining(['pki.rotated', 'pki.before-rotation']));
    expect(await rotation.lastCompleted()).toBeUndefined();
  });
});
