import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BinarySet, LocalBinary } from './binaries/types';
import {
  deployedRecordOf,
  readDeployedRecord,
  releaseName,
  releaseParts,
  replacedByDeployWarning,
  samePrograms,
  writeDeployedRecord,
} from './deployed-record';

const file = (component: LocalBinary['component'], name: string, sha256: string): LocalBinary => ({
  component,
  name,
  sha256,
  localPath: `/cache/${name}`,
  size: 1,
});
const binaries = (versions: BinarySet['versions'] = {}): BinarySet => ({
  files: [file('kubernetes', 'kubelet', 'k1'), file('etcd', 'etcd', 'e1'), file('kubernetes', 'kube-apiserver', 'a1')],
  versions,
  packages: [],
});

describe('deployed record', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the release and the SHA-256 of the kube-* programs only, and reads back what it wrote', async () => {
    const record = deployedRecordOf('1.36', binaries());
    expect(record).toEqual({ kubernetesVersion: '1.36', release: '1.36.5', programs: { 'kube-apiserver': 'a1', kubelet: 'k1' } });
    expect(deployedRecordOf('1.36', binaries({ kubernetes: '1.36.2 (bundle)' })).release).toBe('1.36.2 (bundle)');
    dir = mkdtempSync(join(tmpdir(), 'deployed-'));
    const path = join(dir, 'deployed.json');
    await writeDeployedRecord(path, record);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ ...record, at: expect.any(String) });
    expect(await readDeployedRecord(path)).toEqual(record);
  });

  it('reads an older record with the minor version only, and nothing from a missing or damaged file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'deployed-'));
    const path = join(dir, 'deployed.json');
    expect(await readDeployedRecord(path)).toBeUndefined();
    writeFileSync(path, '{"kubernetesVersion":"1.35","at":"2026-01-01T00:00:00Z"}');
    expect(await readDeployedRecord(path)).toEqual({ kubernetesVersion: '1.35' });
    writeFileSync(path, '{"kubernetesVersion":');
    expect(await readDeployedRecord(path)).toBeUndefined();
  });

  it('warns of a deploy that replaces the programs the hosts run, not of a first deploy or the same programs', () => {
    const now = deployedRecordOf('1.35', binaries());
    expect(replacedByDeployWarning(undefined, now)).toBeUndefined();
    expect(replacedByDeployWarning({ kubernetesVersion: '1.35' }, now)).toBeUndefined();
    expect(samePrograms(now, deployedRecordOf('1.35', binaries()))).toBe(true);
    expect(samePrograms({ kubernetesVersion: '1.35' }, now)).toBe(false);
    expect(replacedByDeployWarning(now, deployedRecordOf('1.35', binaries()))).toBeUndefined();
    expect(replacedByDeployWarning(now, deployedRecordOf('1.36', binaries()))).toMatch(
      /^The hosts run Kubernetes 1\.35\.9; this deploy replaces it with 1\.36\.5 on every host at once/,
    );
  });

  it('reads the minor version and patch number of a release label, and names a record by its release', () => {
    expect(releaseParts('v1.35.4')).toEqual({ minor: '1.35', patch: 4 });
    expect(releaseParts('1.36.1 (stand-ins)')).toEqual({ minor: '1.36', patch: 1 });
    expect(releaseParts('1.36 (stand-ins)')).toEqual({ minor: '1.36' });
    expect(releaseParts('my build')).toBeUndefined();
    expect(releaseName({ kubernetesVersion: '1.35' })).toBe('1.35');
    expect(releaseName({ kubernetesVersion: '1.35', release: '1.35.2' })).toBe('1.35.2');
  });
});
