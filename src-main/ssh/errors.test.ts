import { describe, expect, it } from 'vitest';
import { KubesmithError } from '../../src-shared/errors';
import { authFailedError, describeSshError, hostKeyMismatchError, sudoRefusedError, type SshErrorContext } from './errors';

const ctx: SshErrorContext = { hostLabel: 'node1 (10.231.0.5:22)', hostId: 'node1', address: '10.231.0.5', port: 22, user: 'bob' };

function errno(code: string, message = code): Error {
  return Object.assign(new Error(message), { code, level: 'client-socket' });
}

function sftpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeSshError', () => {
  it.each([
    [errno('ENOTFOUND', 'getaddrinfo ENOTFOUND node1.lab'), 'HostNotFound', /does not resolve/],
    [errno('EAI_AGAIN'), 'HostNotFound', /does not resolve/],
    [errno('ECONNREFUSED'), 'ConnectionRefused', /refused the connection on 10\.231\.0\.5:22/],
    [errno('ETIMEDOUT'), 'ConnectTimeout', /No answer from node1/],
    [errno('EHOSTUNREACH'), 'HostUnreachable', /no network route/],
    [errno('ECONNRESET'), 'ConnectionLost', /was lost/],
    [Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' }), 'ConnectTimeout', /No answer/],
    [Object.assign(new Error('Keepalive timeout'), { level: 'client-timeout' }), 'ConnectionLost', /Keepalive/],
    [new Error('No response from server'), 'ConnectionLost', /was lost/],
    [new Error('Channel is not open'), 'ConnectionLost', /was lost/],
    [Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' }), 'ConnectionLost', /was lost/],
    [
      Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }),
      'AuthFailed',
      /refused the login as 'bob'/,
    ],
    [
      Object.assign(new Error('Handshake failed: no matching host key format'), { level: 'handshake' }),
      'ProtocolMismatch',
      /no matching host key/,
    ],
    [Object.assign(new Error('Host denied (verification failed)'), { level: 'handshake' }), 'HostKeyRejected', /not accepted/],
    [Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 2 }), 'ChannelRefused', /refused to open a session/],
    [errno('ENOSPC'), 'DiskFull', /disk on node1 .* is full/],
    [errno('EACCES'), 'PermissionDenied', /User 'bob' on node1/],
    [new Error("install: cannot create regular file '/etc/x': Permission denied"), 'PermissionDenied', /not allowed/],
    [new Error('write error: No space left on device'), 'DiskFull', /full/],
    [new Error('something odd'), 'SshError', /SSH to node1 .* failed: something odd/],
  ])('%s → %s', (err, name, message) => {
    const mapped = describeSshError(err, ctx);
    expect(mapped).toBeInstanceOf(KubesmithError);
    expect(mapped.name).toBe(name);
    expect(mapped.message).toMatch(message);
    expect(mapped.details).toMatchObject({ hostId: 'node1' });
  });

  it('reads SFTP status codes in the light of the step that failed', () => {
    const at = (step: SshErrorContext['sftpStep']) => ({ ...ctx, sftpStep: step, path: '/etc/kubernetes/pki/ca.crt' });
    const full = describeSshError(sftpError(4, 'Failure'), at('write'));
    expect(full.name).toBe('DiskFull');
    expect(full.message).toContain('/etc/kubernetes/pki/ca.crt');
    expect(full.hint).toContain('df -h /etc/kubernetes/pki');
    expect(describeSshError(sftpError(4, 'Failure'), at('rename')).name).toBe('RemoteFileError');
    expect(describeSshError(sftpError(3, 'Permission denied'), at('open')).name).toBe('PermissionDenied');
    expect(describeSshError(sftpError(2, 'No such file'), at('open'))).toMatchObject({
      name: 'NoSuchPath',
      message: expect.stringContaining('/etc/kubernetes/pki/ca.crt does not exist'),
    });
  });

  it('passes KubesmithErrors through unchanged', () => {
    const original = new KubesmithError('SudoRefused', 'no');
    expect(describeSshError(original, ctx)).toBe(original);
  });
});

describe('authFailedError', () => {
  it('lists what was tried and what the server accepts', () => {
    const err = authFailedError(ctx, [{ method: 'publickey', detail: '~/.ssh/id_ed25519' }], ['publickey', 'password']);
    expect(err.message).toBe(
      "node1 (10.231.0.5:22) refused the login as 'bob'. Tried: key ~/.ssh/id_ed25519. The server allows: publickey, password.",
    );
    expect(err.hint).toContain('~/.ssh/id_ed25519.pub');
    expect(err.details).toMatchObject({ tried: ['publickey'], serverMethods: ['publickey', 'password'] });
  });

  it('points out a method the server does not offer', () => {
    const err = authFailedError(ctx, [], ['publickey']);
    expect(err.message).toContain('Tried: nothing');
    expect(authFailedError(ctx, [{ method: 'password' }], ['publickey']).hint).toContain('does not accept the method');
  });
});

describe('hostKeyMismatchError', () => {
  it('is loud and shows both fingerprints', () => {
    const err = hostKeyMismatchError(ctx, {
      host: '10.231.0.5',
      port: 22,
      keyType: 'ssh-ed25519',
      oldFingerprint: 'SHA256:old',
      newFingerprint: 'SHA256:new',
      knownHostsFile: '/ws/known_hosts',
      line: 3,
    });
    expect(err.name).toBe('HostKeyMismatch');
    expect(err.message).toMatch(/^WARNING: THE HOST KEY OF node1 .* HAS CHANGED/);
    expect(err.message).toContain('SHA256:old');
    expect(err.message).toContain('SHA256:new');
    expect(err.message).toContain('/ws/known_hosts, line 3');
    expect(err.message).toContain('man-in-the-middle');
  });
});

describe('sudoRefusedError', () => {
  it.each([
    ['not-configured', /sudo mode is "none"/],
    ['password-required', /asks 'bob' for a password/],
    ['wrong-password', /rejected the password/],
    ['not-allowed', /not allowed to use sudo/],
    ['missing', /not installed/],
  ] as const)('%s', (reason, message) => {
    const err = sudoRefusedError(ctx, reason);
    expect(err.name).toBe('SudoRefused');
    expect(err.message).toMatch(message);
    expect(err.hint).toBeTruthy();
  });
});
