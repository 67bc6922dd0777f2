import type { SudoMode } from '../../src-shared/model/cluster';
import { sudoRefusedError, type SshErrorContext, type SudoRefusal } from './errors';
import { shellQuote } from './shell';

/** How to become root on a host, as found out by checkSudo. */
export type SudoPlan = { kind: 'direct' } | { kind: 'nopass' } | { kind: 'password'; password: string };

export interface WrappedCommand {
  command: string;
  /** Goes first on stdin: the password line for sudo -S. */
  stdinPrefix?: string;
}

/**
 * Every command runs in the host's `sh`, as sudo runs it, never in the login shell sshd starts: the commands are
 * POSIX sh (the tests parse and run them under dash and bash), a login shell may be zsh or fish, and where it is
 * bash (root on Debian and Ubuntu) each process a command starts costs more. Measured on a lab host (systemd-nspawn
 * on a 2-core VM, CPU of the host's cgroup): a subshell 3.1 ms under bash against 2.0 under dash, an external program
 * 4.2 against 2.3 ms; a re-run's probe of a worker 671 → 561 ms, its preflight checks 193 → 137 ms, a bare `true`
 * 11 → 15 ms. `exec` keeps the login shell's PID, the process group the command reported (process-group.ts).
 */
export function wrapForSudo(command: string, plan: SudoPlan): WrappedCommand {
  switch (plan.kind) {
    case 'direct':
      return { command: `exec sh -c ${shellQuote(command)}` };
    case 'nopass':
      return { command: `sudo -n -- sh -c ${shellQuote(command)}` };
    case 'password':
      // -k: ignore a cached ticket, so sudo always consumes the password line instead of the command getting it.
      return { command: `sudo -k -S -p '' -- sh -c ${shellQuote(command)}`, stdinPrefix: `${plan.password}\n` };
  }
}

/** Recognises sudo's own refusals (not the command's errors) from its exit code and stderr. */
export function classifySudoFailure(code: number | null, stderr: string): SudoRefusal | undefined {
  if (code === 127 && /sudo: (command )?not found|sudo: No such file/.test(stderr)) return 'missing';
  if (code !== 1) return undefined;
  if (/incorrect password attempt|Sorry, try again/.test(stderr)) return 'wrong-password';
  if (/no password was provided/.test(stderr)) return 'no-password-given';
  if (/is not in the sudoers file|is not allowed to execute|may not run sudo|not allowed to run sudo/.test(stderr)) return 'not-allowed';
  if (/sudo: a password is required|sudo: a terminal is required/.test(stderr)) return 'password-required';
  return undefined;
}

/** The first line sudo printed about itself, for the error message. */
export function sudoSaid(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && l !== 'Sorry, try again.');
}

export interface SudoProbe {
  /** Runs a command without sudo wrapping; stdinPrefix is written first on stdin. */
  run(command: string, stdinPrefix?: string): Promise<{ code: number | null; stderr: string }>;
  password(): Promise<string>;
  forgetPassword(): void;
}

/**
 * Finds out once per host how to become root, before any real command runs,
 * so a wrong password is reported as such and never reaches a command's stdin.
 */
export async function checkSudo(ctx: SshErrorContext, user: string, mode: SudoMode, probe: SudoProbe): Promise<SudoPlan> {
  if (user === 'root') return { kind: 'direct' };
  if (mode === 'none') throw sudoRefusedError(ctx, 'not-configured');

  // -k -n succeeds only when no password is needed at all (a NOPASSWD rule).
  const nopass = await probe.run('sudo -k -n true');
  if (nopass.code === 0) return { kind: 'nopass' };
  const refusal = classifySudoFailure(nopass.code, nopass.stderr);
  if (refusal === 'missing' || refusal === 'not-allowed') throw sudoRefusedError(ctx, refusal, sudoSaid(nopass.stderr));
  if (mode === 'passwordless') throw sudoRefusedError(ctx, refusal ?? 'password-required', sudoSaid(nopass.stderr));

  const password = await probe.password();
  const withPassword = await probe.run(`sudo -k -S -p '' true`, `${password}\n`);
  if (withPassword.code === 0) return { kind: 'password', password };
  const why = classifySudoFailure(withPassword.code, withPassword.stderr) ?? 'not-allowed';
  if (why === 'wrong-password' || why === 'no-password-given') probe.forgetPassword();
  throw sudoRefusedError(ctx, why === 'no-password-given' ? 'wrong-password' : why, sudoSaid(withPassword.stderr));
}
