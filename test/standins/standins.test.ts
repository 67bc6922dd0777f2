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

describe('kube-apiserver stand-in, anonymous requests', () => {
  const run = async (config: string | undefined, flags: string[]) => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-standin-'));
    const path = join(dir, 'kube-apiserver');
    await writeFile(path, standins('1.36')['kube-apiserver']!, { mode: 0o755 });
    const args = [...flags];
    if (config !== undefined) {
      await writeFile(join(dir, 'auth.yaml'), config);
      args.push(`--authentication-config=${join(dir, 'auth.yaml')}`);
    }
    const r = spawnSync('sh', [path, ...args, `--tls-cert-file=${join(dir, 'missing.crt')}`], { encoding: 'utf8' });
    await rm(dir, { recursive: true, force: true });
    return r;
  };
  const config = (paths: string[]) =>
    `apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n  conditions:\n${paths.map((p) => `    - path: ${p}\n`).join('')}`;

  it('refuse --anonymous-auth beside an authentication config, as the apiserver does', async () => {
    const r = await run(config(['/livez', '/readyz', '/healthz']), ['--anonymous-auth=false']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--anonymous-auth cannot be set');
  });

  it('refuse anonymous requests beyond the health paths', async () => {
    const r = await run(config(['/livez', '/readyz', '/healthz', '/api']), []);
    expect(r.stderr).toContain('must be limited to /livez, /readyz, /healthz');
  });

  it('take the health-path config and go on to check their files', async () => {
    const r = await run(config(['/livez', '/readyz', '/healthz']), []);
    // Past the anonymous checks, it stops at the first serving flag this test leaves out.
    expect(r.stderr).not.toMatch(/anonymous/);
    expect(r.stderr).toContain('F_tls_private_key_file: parameter not set');
  });

  it('without a config, still require --anonymous-auth=false', async () => {
    expect((await run(undefined, [])).stderr).toContain('anonymous auth must be off');
  });
});
