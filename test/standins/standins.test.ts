import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standins } from './standins';

/** The stand-ins run where the lab runs them (POSIX sh); these checks need no lab. */
describe('kube-* stand-ins', () => {
  it('refuse a flag that is not in the version list, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-standin-'));
    const path = join(dir, 'kube-scheduler');
    await writeFile(path, standins('1.36')['kube-scheduler']!, { mode: 0o755 });
    const bad = spawnSync('sh', [path, '--leader-elect=true', '--insecure-port=0'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown flag: --insecure-port');
    const version = spawnSync('sh', [path, '--version'], { encoding: 'utf8' });
    expect(version.stdout).toContain('STAND-IN');
    await rm(dir, { recursive: true, force: true });
  });

  it('are valid sh', () => {
    for (const [name, text] of Object.entries(standins('1.34'))) {
      const r = spawnSync('sh', ['-n'], { input: text, encoding: 'utf8' });
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
    }
  });
});
