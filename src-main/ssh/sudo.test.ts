import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { checkSudo, classifySudoFailure, wrapForSudo } from './sudo';

const ctx = { hostLabel: 'node1 (10.0.0.1:22)', user: 'bob' };

describe('wrapForSudo', () => {
  it('keeps the password off the command line', () => {
    const wrapped = wrapForSudo("echo 'hi'", { kind: 'password', password: 's3cret' });
    expect(wrapped.command).toBe(`sudo -k -S -p '' -- sh -c 'echo '\\''hi'\\'''`);
    expect(wrapped.command).not.toContain('s3cret');
    expect(wrapped.stdinPrefix).toBe('s3cret\n');
    expect(wrapForSudo('id', { kind: 'nopass' })).toEqual({ command: 'sudo -n -- sh -c id' });
    expect(wrapForSudo('id', { kind: 'direct' })).toEqual({ command: 'exec sh -c id' });
  });

  it('runs every command in sh, not in the login shell sshd starts (bash for root on Debian and Ubuntu)', () => {
    // The login shell here is bash; /bin/sh is dash, as on Debian and Ubuntu.
    const { command: wrapped } = wrapForSudo(`[ -z "\${BASH_VERSION:-}" ] && echo "posix sh 'quoted'" && echo $$`, { kind: 'direct' });
    const r = spawnSync('bash', ['-c', `echo $$; ${wrapped}`], { encoding: 'utf8' });
    const [loginPid, said, pid] = r.stdout.trim().split('\n');
    expect(said).toBe("posix sh 'quoted'");
    // exec: the same process, so the process group the command reported is still the one to kill.
    expect(pid).toBe(loginPid);
  });
});

describe('classifySudoFailure', () => {
  it('recognises what sudo 1.9 prints', () => {
    expect(classifySudoFailure(1, 'Sorry, try again.\nsudo: 1 incorrect password attempt\n')).toBe('wrong-password');
    expect(classifySudoFailure(1, 'sudo: a password is required\n')).toBe('password-required');
    expect(classifySudoFailure(1, 'bob is not in the sudoers file.\n')).toBe('not-allowed');
    expect(classifySudoFailure(127, 'sh: 1: sudo: not found\n')).toBe('missing');
    expect(classifySudoFailure(1, 'grep: no match\n')).toBeUndefined();
    expect(classifySudoFailure(2, 'sudo: a password is required\n')).toBeUndefined();
  });
});

describe('checkSudo', () => {
  it('needs nothing for root and refuses mode none', async () => {
    const probe = { run: vi.fn(), password: vi.fn(), forgetPassword: vi.fn() };
    expect(await checkSudo(ctx, 'root', 'none', probe)).toEqual({ kind: 'direct' });
    await expect(checkSudo(ctx, 'bob', 'none', probe)).rejects.toMatchObject({ name: 'SudoRefused' });
    expect(probe.run).not.toHaveBeenCalled();
  });

  it('does not send a password when a NOPASSWD rule exists', async () => {
    const probe = { run: vi.fn(async () => ({ code: 0, stderr: '' })), password: vi.fn(), forgetPassword: vi.fn() };
    expect(await checkSudo(ctx, 'bob', 'password', probe)).toEqual({ kind: 'nopass' });
    expect(probe.password).not.toHaveBeenCalled();
  });

  it('reports a wrong password and forgets it', async () => {
    const probe = {
      run: vi.fn(async (cmd: string) =>
        cmd.includes('-S')
          ? { code: 1, stderr: 'Sorry, try again.\nsudo: 1 incorrect password attempt\n' }
          : { code: 1, stderr: 'sudo: a password is required\n' },
      ),
      password: vi.fn(async () => 'bad'),
      forgetPassword: vi.fn(),
    };
    await expect(checkSudo(ctx, 'bob', 'password', probe)).rejects.toMatchObject({
      name: 'SudoRefused',
      message: expect.stringContaining('rejected the password'),
    });
    expect(probe.forgetPassword).toHaveBeenCalled();
  });

  it('explains a passwordless host that wants a password', async () => {
    const probe = {
      run: vi.fn(async () => ({ code: 1, stderr: 'sudo: a password is required\n' })),
      password: vi.fn(),
      forgetPassword: vi.fn(),
    };
    await expect(checkSudo(ctx, 'bob', 'passwordless', probe)).rejects.toMatchObject({
      name: 'SudoRefused',
      hint: expect.stringContaining('"password"'),
    });
  });
});
