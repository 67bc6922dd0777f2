import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFileLine, systemdArg, systemdCommandLine } from './systemd-escape';
import { renderUnit } from './systemd-unit';
import { nginxServer } from './nginx';

const HOSTILE = ['--name=a b', '$(touch /tmp/x)', '${HOME}', '$HOME', '%i', '100%', '"quoted"', "it's", 'back\\slash', ';', '', 'end\\'];
const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('systemd escaping', () => {
  it('writes specifiers and variables so systemd passes them on literally', () => {
    expect(systemdArg('--x=%i')).toBe('--x=%%i');
    expect(systemdArg('$HOME')).toBe('$$HOME');
    expect(systemdArg('a b')).toBe('"a b"');
    expect(systemdArg('say "hi"')).toBe('"say \\"hi\\""');
    expect(systemdArg(';')).toBe('";"');
    expect(systemdArg('')).toBe('""');
    expect(systemdArg('--controllers=*,bootstrapsigner')).toBe('--controllers=*,bootstrapsigner');
  });

  it('refuses what a unit cannot hold: a line break, a NUL, any control character', () => {
    for (const bad of ['a\nb', 'a\0b', 'a\rb', '\t']) {
      expect(() => systemdArg(bad)).toThrow(/control character/);
      expect(() => envFileLine('X', bad)).toThrow(/control character/);
    }
    expect(() => systemdCommandLine(['relative/prog'])).toThrow();
    expect(() => systemdCommandLine(['/bin/x;rm'])).toThrow();
  });

  it('quotes environment file values that are not plain', () => {
    expect(envFileLine('A', 'n1=https://10.0.0.1:2380')).toBe('A=n1=https://10.0.0.1:2380');
    expect(envFileLine('A', 'a b$c"d`e\\')).toBe('A="a b\\$c\\"d\\`e\\\\"');
    expect(() => envFileLine('1A', 'x')).toThrow();
  });

  it.skipIf(!analyze)('gives units that systemd-analyze verify accepts, whatever the arguments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-unit-'));
    try {
      const path = join(dir, 'ks-hostile.service');
      writeFileSync(
        path,
        renderUnit({ description: 'hostile %i $HOME', execStart: ['/bin/true', ...HOSTILE], execStartPre: [['-/bin/true', ...HOSTILE]] }),
      );
      const r = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nginx upstreams', () => {
  it('takes IP addresses and DNS names, IPv6 in brackets', () => {
    expect(nginxServer('10.0.0.1', 6443)).toBe('10.0.0.1:6443');
    expect(nginxServer('fd00::1', 6443)).toBe('[fd00::1]:6443');
    expect(nginxServer('m1.lab.example', 6443)).toBe('m1.lab.example:6443');
  });

  it('refuses anything that could end a directive or open a block', () => {
    for (const bad of ['10.0.0.1;', '10.0.0.1 backup', 'a{', '}', 'a\nb', '10.0.0.1:80', '']) {
      expect(() => nginxServer(bad, 6443)).toThrow(/not an IP address or a DNS name/);
    }
  });
});
