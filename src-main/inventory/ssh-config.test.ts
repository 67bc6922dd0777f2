import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshConfig, readSshConfig, sshDefaults } from './ssh-config';

const CONFIG = `
# lab machines
Host etcd-1 etcd1
    HostName 192.168.50.20
    User admin
    IdentityFile ~/.ssh/lab_ed25519

Host master-1
  HostName=192.168.50.10
  Port 2222
  ProxyJump admin@bastion.lab:22

Host bastion
  HostName bastion.lab
  ProxyJump none

Host *.lab !secret.lab
  User ops

Match host foo exec "true"
  User ignored

Host *
  User fallback
  IdentityFile "%d/.ssh/id_ed25519"
  Port 22
`;

describe('sshDefaults', () => {
  it('gives a bare address what "Host *" says, not what a named or pattern block says', () => {
    expect(sshDefaults(CONFIG, '/home/me')).toEqual({ user: 'fallback', identityFile: '/home/me/.ssh/id_ed25519', port: 22 });
    expect(sshDefaults('Host 10.0.*\n  User ops\n', '/h')).toEqual({});
  });
});

describe('parseSshConfig', () => {
  it('offers each plain Host alias with HostName, User, Port, IdentityFile and ProxyJump, first value winning', () => {
    expect(parseSshConfig(CONFIG, '/home/me')).toEqual([
      { alias: 'etcd-1', hostName: '192.168.50.20', user: 'admin', identityFile: '/home/me/.ssh/lab_ed25519', port: 22 },
      { alias: 'etcd1', hostName: '192.168.50.20', user: 'admin', identityFile: '/home/me/.ssh/lab_ed25519', port: 22 },
      {
        alias: 'master-1',
        hostName: '192.168.50.10',
        port: 2222,
        proxyJump: 'admin@bastion.lab:22',
        user: 'fallback',
        identityFile: '/home/me/.ssh/id_ed25519',
      },
      { alias: 'bastion', hostName: 'bastion.lab', user: 'fallback', identityFile: '/home/me/.ssh/id_ed25519', port: 22 },
    ]);
  });

  it('applies wildcard blocks with negation to the aliases they match', () => {
    const aliases = parseSshConfig('Host a.lab secret.lab\n  HostName 10.0.0.1\nHost *.lab !secret.lab\n  User ops\n', '/h');
    expect(aliases).toEqual([
      { alias: 'a.lab', hostName: '10.0.0.1', user: 'ops' },
      { alias: 'secret.lab', hostName: '10.0.0.1' },
    ]);
  });
});

describe('readSshConfig', () => {
  it('reads Include files in place and says undefined for a missing config', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ks-sshcfg-'));
    try {
      await mkdir(join(home, '.ssh', 'config.d'), { recursive: true });
      await writeFile(join(home, '.ssh', 'config'), 'Include config.d/*.conf\nHost main\n  HostName 10.0.0.1\n');
      await writeFile(join(home, '.ssh', 'config.d', 'lab.conf'), 'Host lab1\n  HostName 10.0.0.2\n');
      const text = await readSshConfig(join(home, '.ssh', 'config'), home);
      expect(parseSshConfig(text!, home).map((a) => a.alias)).toEqual(['lab1', 'main']);
      expect(await readSshConfig(join(home, 'nope'), home)).toBeUndefined();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
