import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledDebsInstall } from './prepare';

/**
 * The offline bundle's install command run by the real dpkg (Debian's, as on a host), into a package database and a
 * root of a temp folder: a `dpkg` first on PATH adds --admindir and --instdir and runs /usr/bin/dpkg with the rest.
 * The packages are made here with dpkg-deb, with no maintainer scripts.
 */
const hasDpkg = spawnSync('dpkg-deb', ['--version']).status === 0 && spawnSync('dpkg', ['--version']).status === 0;

let dir: string;
const admin = () => join(dir, 'admin');
const root = () => join(dir, 'root');

function deb(name: string, version: string, into: string): void {
  const tree = join(dir, 'build', `${name}-${version}`);
  mkdirSync(join(tree, 'DEBIAN'), { recursive: true });
  mkdirSync(join(tree, 'usr/share', name), { recursive: true });
  writeFileSync(
    join(tree, 'DEBIAN/control'),
    `Package: ${name}\nVersion: ${version}\nArchitecture: all\nMaintainer: Kubesmith tests <tests@kubesmith.invalid>\nDescription: a test package\n`,
  );
  writeFileSync(join(tree, 'usr/share', name, 'version'), `${version}\n`);
  mkdirSync(into, { recursive: true });
  const r = spawnSync('dpkg-deb', ['--build', tree, join(into, `${name}_${version}_all.deb`)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

const installed = (): string =>
  spawnSync('dpkg-query', [`--admindir=${admin()}`, '-W', '-f=${Package} ${Version}\n'], { encoding: 'utf8' }).stdout;

function runInstall(debsDir: string) {
  return spawnSync('dash', ['-c', bundledDebsInstall(debsDir).command], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}` },
  });
}

describe.runIf(hasDpkg)('the offline bundle install, by the real dpkg', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-debs-'));
    mkdirSync(admin(), { recursive: true });
    writeFileSync(join(admin(), 'status'), '');
    mkdirSync(root(), { recursive: true });
    mkdirSync(join(dir, 'bin'));
    writeFileSync(
      join(dir, 'bin', 'dpkg'),
      `#!/bin/sh\nexec /usr/bin/dpkg --admindir='${admin()}' --instdir='${root()}' --force-not-root "$@"\n`,
    );
    chmodSync(join(dir, 'bin', 'dpkg'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a newer package the host has (dpkg would downgrade it by default), installs the missing ones, leaves equal ones', () => {
    deb('ks-newer', '2.0', join(dir, 'host'));
    deb('ks-same', '1.0', join(dir, 'host'));
    expect(runInstall(join(dir, 'host')).status).toBe(0);
    expect(installed()).toBe('ks-newer 2.0\nks-same 1.0\n');

    const bundle = join(dir, 'bundle');
    deb('ks-newer', '1.0', bundle);
    deb('ks-same', '1.0', bundle);
    deb('ks-missing', '1.0', bundle);
    const r = runInstall(bundle);
    expect(r.status).toBe(0);
    expect(installed()).toBe('ks-missing 1.0\nks-newer 2.0\nks-same 1.0\n');
    // The host's own file is the newer package's, and the step's log says why the bundle's was not installed.
    expect(readFileSync(join(root(), 'usr/share/ks-newer/version'), 'utf8')).toBe('2.0\n');
    expect(r.stderr).toContain('will not downgrade ks-newer from 2.0 to 1.0');
  });

  it('upgrades an older package the host has', () => {
    deb('ks-older', '1.0', join(dir, 'host'));
    expect(runInstall(join(dir, 'host')).status).toBe(0);
    deb('ks-older', '1:0.5', join(dir, 'bundle'));
    expect(runInstall(join(dir, 'bundle')).status).toBe(0);
    expect(installed()).toBe('ks-older 1:0.5\n');
  });
});
