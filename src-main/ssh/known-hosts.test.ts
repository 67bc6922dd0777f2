import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  entryMatchesHost,
  formatKnownHostLine,
  knownHostName,
  knownKeyTypes,
  parseKnownHosts,
  removeHostKeyLines,
} from './known-hosts';

const KEY_A = 'AAAAC3NzaC1lZDI1NTE5AAAAIEFDZ3dtvRthU0zKtEY9Y52dsl39DsAwnmLAO0Bd5nVt';
const KEY_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIGnsQ2xVZBFVOhGEdEqvVOYfAMiR8zebBqRYYLiDb5E0';
const RSA = 'AAAAB3NzaC1yc2EAAAADAQABAAABAQC7';

// Produced by `ssh-keygen -H` from "[10.231.0.5]:2222 ..." and "node1.lab ...".
const HASHED_PORT = '|1|KZ2j0MLm8Z7u2LiVbtHkF2oGopo=|4/t1i5o2vzHyntWMAz+JuXdOlvs=';
const HASHED_NAME = '|1|Iyzm63X/L2kpOnbKZ2I/PKDCYe8=|FvIfxuOD7LO43OhByG4fXXUxyOU=';

describe('knownHostName', () => {
  it('uses the bare name for port 22 and [host]:port otherwise', () => {
    expect(knownHostName('Node1.Lab', 22)).toBe('node1.lab');
    expect(knownHostName('10.231.0.5', 2222)).toBe('[10.231.0.5]:2222');
    expect(formatKnownHostLine('10.231.0.5', 2222, 'ssh-ed25519', KEY_A)).toBe(`[10.231.0.5]:2222 ssh-ed25519 ${KEY_A}`);
  });
});

describe('parseKnownHosts', () => {
  it('reads plain, marked and hashed lines and skips comments and junk', () => {
    const text = [
      '# comment',
      '',
      `node1,10.231.0.5 ssh-ed25519 ${KEY_A} root@node1`,
      `@revoked * ssh-ed25519 ${KEY_B}`,
      `@cert-authority *.lab ssh-rsa ${RSA}`,
      '@unknown-marker x ssh-ed25519 AAAA',
      'only-two-fields ssh-ed25519',
      `${HASHED_PORT} ssh-ed25519 ${KEY_A}`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(entries.map((e) => [e.line, e.marker, e.hosts])).toEqual([
      [3, undefined, 'node1,10.231.0.5'],
      [4, 'revoked', '*'],
      [5, 'cert-authority', '*.lab'],
      [8, undefined, HASHED_PORT],
    ]);
  });
});

describe('entryMatchesHost', () => {
  it('matches hashed names, with and without a port', () => {
    expect(entryMatchesHost({ hosts: HASHED_PORT }, '10.231.0.5', 2222)).toBe(true);
    expect(entryMatchesHost({ hosts: HASHED_PORT }, '10.231.0.5', 22)).toBe(false);
    expect(entryMatchesHost({ hosts: HASHED_NAME }, 'node1.lab', 22)).toBe(true);
    expect(entryMatchesHost({ hosts: HASHED_NAME }, 'NODE1.lab', 22)).toBe(true);
    expect(entryMatchesHost({ hosts: HASHED_NAME }, 'node2.lab', 22)).toBe(false);
  });

  it('matches [host]:port, wildcards and negations', () => {
    expect(entryMatchesHost({ hosts: '[10.231.0.5]:2222' }, '10.231.0.5', 2222)).toBe(true);
    expect(entryMatchesHost({ hosts: '10.231.0.5' }, '10.231.0.5', 2222)).toBe(false);
    expect(entryMatchesHost({ hosts: '10.231.0.*' }, '10.231.0.9', 22)).toBe(true);
    expect(entryMatchesHost({ hosts: '10.231.0.?' }, '10.231.0.10', 22)).toBe(false);
    expect(entryMatchesHost({ hosts: '*.lab,!bad.lab' }, 'bad.lab', 22)).toBe(false);
    expect(entryMatchesHost({ hosts: '*.lab,!bad.lab' }, 'good.lab', 22)).toBe(true);
    expect(entryMatchesHost({ hosts: 'a.b' }, 'aXb', 22)).toBe(false);
  });
});

describe('checkHostKey', () => {
  const workspace = { file: '/ws/known_hosts', entries: parseKnownHosts(`[10.231.0.5]:2222 ssh-ed25519 ${KEY_B}`) };
  const user = {
    file: '~/.ssh/known_hosts',
    entries: parseKnownHosts([`${HASHED_PORT} ssh-ed25519 ${KEY_A}`, `node9 ssh-rsa ${RSA}`].join('\n')),
  };

  it('finds a known key in a hashed user file', () => {
    expect(checkHostKey([user], '10.231.0.5', 2222, 'ssh-ed25519', KEY_A)).toEqual({
      kind: 'known',
      file: '~/.ssh/known_hosts',
      line: 1,
    });
  });

  it('reports a changed key with where the old one is', () => {
    expect(checkHostKey([user], '10.231.0.5', 2222, 'ssh-ed25519', KEY_B)).toEqual({
      kind: 'changed',
      file: '~/.ssh/known_hosts',
      line: 1,
      storedKeyBase64: KEY_A,
    });
  });

  it('lets the workspace file override a stale user entry', () => {
    expect(checkHostKey([workspace, user], '10.231.0.5', 2222, 'ssh-ed25519', KEY_B).kind).toBe('known');
    expect(checkHostKey([workspace, user], '10.231.0.5', 2222, 'ssh-ed25519', KEY_A).kind).toBe('changed');
  });

  it('treats a key of another type as unknown, listing the types on record', () => {
    expect(checkHostKey([user], 'node9', 22, 'ssh-ed25519', KEY_A)).toEqual({ kind: 'unknown', knownTypes: ['ssh-rsa'] });
    expect(knownKeyTypes([user], 'node9', 22)).toEqual(['ssh-rsa']);
    expect(checkHostKey([user], 'nowhere', 22, 'ssh-ed25519', KEY_A)).toEqual({ kind: 'unknown', knownTypes: [] });
  });

  it('refuses a revoked key even when it is also listed as known', () => {
    const revoked = { file: 'r', entries: parseKnownHosts(`@revoked * ssh-ed25519 ${KEY_A}\nnode1 ssh-ed25519 ${KEY_A}`) };
    expect(checkHostKey([revoked], 'node1', 22, 'ssh-ed25519', KEY_A)).toEqual({ kind: 'revoked', file: 'r', line: 1 });
  });
});

describe('removeHostKeyLines', () => {
  it('removes only the lines for that host and key type', () => {
    const text = [
      '# keep me',
      `[10.231.0.5]:2222 ssh-ed25519 ${KEY_A}`,
      `[10.231.0.5]:2222 ssh-rsa ${RSA}`,
      `${HASHED_PORT} ssh-ed25519 ${KEY_A}`,
      `10.231.0.5 ssh-ed25519 ${KEY_A}`,
      '',
    ].join('\n');
    expect(removeHostKeyLines(text, '10.231.0.5', 2222, 'ssh-ed25519')).toBe(
      ['# keep me', `[10.231.0.5]:2222 ssh-rsa ${RSA}`, `10.231.0.5 ssh-ed25519 ${KEY_A}`, ''].join('\n'),
    );
  });
});
