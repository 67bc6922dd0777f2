import { KubesmithError } from '../../src-shared/errors';

/** Names of the errors this layer throws; the renderer may switch on them. */
export const SshErrorName = {
  HostNotFound: 'HostNotFound',
  ConnectionRefused: 'ConnectionRefused',
  ConnectTimeout: 'ConnectTimeout',
  HostUnreachable: 'HostUnreachable',
  ConnectionLost: 'ConnectionLost',
  ProtocolMismatch: 'ProtocolMismatch',
  AuthFailed: 'AuthFailed',
  AuthCancelled: 'AuthCancelled',
  AgentUnavailable: 'AgentUnavailable',
  KeyFileUnreadable: 'KeyFileUnreadable',
  KeyPassphraseWrong: 'KeyPassphraseWrong',
  KeyFormatUnsupported: 'KeyFormatUnsupported',
  HostKeyMismatch: 'HostKeyMismatch',
  HostKeyRejected: 'HostKeyRejected',
  HostKeyRevoked: 'HostKeyRevoked',
  JumpRefused: 'JumpRefused',
  JumpLoop: 'JumpLoop',
  ChannelRefused: 'ChannelRefused',
  SudoRefused: 'SudoRefused',
  DiskFull: 'DiskFull',
  PermissionDenied: 'PermissionDenied',
  NoSuchPath: 'NoSuchPath',
  RemoteFileError: 'RemoteFileError',
  CommandTimedOut: 'CommandTimedOut',
  CommandCancelled: 'CommandCancelled',
  UnknownHost: 'UnknownHost',
  PoolClosed: 'PoolClosed',
  SshError: 'SshError',
} as const;
export type SshErrorName = (typeof SshErrorName)[keyof typeof SshErrorName];

/** Where an error happened, so the message can say which machine and which file. */
export interface SshErrorContext {
  /** e.g. "node1 (10.231.0.5:22)" */
  hostLabel: string;
  hostId?: string;
  address?: string;
  port?: number;
  user?: string;
  /** The remote (or, for key files, local) path involved. */
  path?: string;
  /** Which SFTP step failed; SFTP's generic failure during a write almost always means the disk is full. */
  sftpStep?: 'open' | 'write' | 'fsync' | 'close' | 'rename' | 'stat' | 'unlink' | 'setstat';
}

export type AuthMethodName = 'publickey' | 'agent' | 'password' | 'keyboard-interactive';

export interface AuthAttempt {
  method: AuthMethodName;
  /** Which key file, how many agent keys: never a secret. */
  detail?: string;
}

const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const SFTP_FAILURE = 4;

function facts(ctx: SshErrorContext, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (ctx.hostId !== undefined) out.hostId = ctx.hostId;
  if (ctx.address !== undefined) out.address = ctx.address;
  if (ctx.port !== undefined) out.port = ctx.port;
  if (ctx.user !== undefined) out.user = ctx.user;
  if (ctx.path !== undefined) out.path = ctx.path;
  return { ...out, ...extra };
}

function errorCode(err: unknown): string | number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}

function errorLevel(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const level = (err as { level?: unknown }).level;
  return typeof level === 'string' ? level : undefined;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function remoteDir(path: string | undefined): string {
  if (path === undefined) return '/';
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

export function diskFullError(ctx: SshErrorContext): KubesmithError {
  const where = ctx.path !== undefined ? ` while writing ${ctx.path}` : '';
  return new KubesmithError(
    SshErrorName.DiskFull,
    `The disk on ${ctx.hostLabel} is full${where}. Nothing was left half-written.`,
    `Free some space on the host (check with: df -h ${remoteDir(ctx.path)}) and try again.`,
    facts(ctx),
  );
}

export function permissionDeniedError(ctx: SshErrorContext): KubesmithError {
  const what = ctx.path !== undefined ? `access ${ctx.path}` : 'do that';
  return new KubesmithError(
    SshErrorName.PermissionDenied,
    `${ctx.user !== undefined ? `User '${ctx.user}'` : 'The login user'} on ${ctx.hostLabel} is not allowed to ${what}.`,
    "Use a user that owns the path, or set the host's sudo mode so Kubesmith can act as root.",
    facts(ctx),
  );
}

function describeMethod(attempt: AuthAttempt): string {
  switch (attempt.method) {
    case 'publickey':
      return attempt.detail !== undefined ? `key ${attempt.detail}` : 'key';
    case 'agent':
      return attempt.detail !== undefined ? `ssh-agent (${attempt.detail})` : 'ssh-agent';
    case 'password':
      return 'password';
    case 'keyboard-interactive':
      return 'keyboard-interactive (password prompt)';
  }
}

export function authFailedError(
  ctx: SshErrorContext,
  tried: readonly AuthAttempt[],
  serverMethods: readonly string[] | undefined,
): KubesmithError {
  const triedText = tried.length > 0 ? tried.map(describeMethod).join(', ') : 'nothing (no usable method was configured)';
  const allows = serverMethods !== undefined && serverMethods.length > 0 ? ` The server allows: ${serverMethods.join(', ')}.` : '';
  const methods = new Set(tried.map((t) => t.method));
  const hints: string[] = [];
  if (methods.has('publickey')) {
    const key = tried.find((t) => t.method === 'publickey')?.detail;
    hints.push(
      `Make sure the public key${key !== undefined ? ` (${key}.pub)` : ''} is in ~${ctx.user ?? ''}/.ssh/authorized_keys on the host (ssh-copy-id does this).`,
    );
  }
  if (methods.has('agent')) hints.push('Check that your ssh-agent holds the right key (ssh-add -l).');
  if (methods.has('password') || methods.has('keyboard-interactive')) {
    hints.push('Check the password; Kubesmith will ask for it again on the next attempt.');
  }
  if (serverMethods !== undefined && serverMethods.length > 0) {
    const usable = tried.filter((t) => serverMethods.includes(t.method === 'agent' ? 'publickey' : t.method));
    if (usable.length === 0)
      hints.push(`The server does not accept the method this host is set to use; pick one of: ${serverMethods.join(', ')}.`);
  }
  return new KubesmithError(
    SshErrorName.AuthFailed,
    `${ctx.hostLabel} refused the login as '${ctx.user ?? '?'}'. Tried: ${triedText}.${allows}`,
    hints.join(' ') || undefined,
    facts(ctx, { tried: tried.map((t) => t.method), ...(serverMethods !== undefined ? { serverMethods: [...serverMethods] } : {}) }),
  );
}

export interface HostKeyFacts {
  host: string;
  port: number;
  keyType: string;
  oldFingerprint: string;
  newFingerprint: string;
  knownHostsFile: string;
  line: number;
}

export function hostKeyMismatchError(ctx: SshErrorContext, f: HostKeyFacts): KubesmithError {
  return new KubesmithError(
    SshErrorName.HostKeyMismatch,
    `WARNING: THE HOST KEY OF ${ctx.hostLabel} HAS CHANGED. ` +
      `Expected ${f.keyType} ${f.oldFingerprint} (from ${f.knownHostsFile}, line ${f.line}), ` +
      `but the server presented ${f.newFingerprint}. ` +
      'Someone may be intercepting the connection (man-in-the-middle), or the machine was reinstalled. Kubesmith did not connect.',
    'If you reinstalled this machine, compare the new fingerprint with the one the host prints (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and then accept the new key explicitly.',
    facts(ctx, { ...f }),
  );
}

export function hostKeyRejectedError(ctx: SshErrorContext, keyType: string, fingerprint: string): KubesmithError {
  return new KubesmithError(
    SshErrorName.HostKeyRejected,
    `The host key of ${ctx.hostLabel} (${keyType} ${fingerprint}) was not accepted, so Kubesmith did not connect.`,
    'Connect again and accept the key once you have checked its fingerprint.',
    facts(ctx, { keyType, fingerprint }),
  );
}

export function hostKeyRevokedError(ctx: SshErrorContext, keyType: string, fingerprint: string, file: string): KubesmithError {
  return new KubesmithError(
    SshErrorName.HostKeyRevoked,
    `The host key of ${ctx.hostLabel} (${keyType} ${fingerprint}) is marked @revoked in ${file}. Kubesmith did not connect.`,
    'The machine needs a new host key; remove the @revoked line only if you know the key is safe.',
    facts(ctx, { keyType, fingerprint, knownHostsFile: file }),
  );
}

export type SudoRefusal = 'not-configured' | 'password-required' | 'wrong-password' | 'not-allowed' | 'missing' | 'no-password-given';

export function sudoRefusedError(ctx: SshErrorContext, reason: SudoRefusal, serverSaid?: string): KubesmithError {
  const user = `'${ctx.user ?? '?'}'`;
  const said = serverSaid !== undefined && serverSaid !== '' ? ` (sudo said: ${serverSaid})` : '';
  const byReason: Record<SudoRefusal, [string, string]> = {
    'not-configured': [
      `This step needs root on ${ctx.hostLabel}, but it logs in as ${user} and the host's sudo mode is "none".`,
      'Set the sudo mode to "passwordless" or "password", or log in as root.',
    ],
    'password-required': [
      `sudo on ${ctx.hostLabel} asks ${user} for a password, but the host's sudo mode is "passwordless"${said}.`,
      'Set the sudo mode to "password", or add a NOPASSWD rule for this user in /etc/sudoers.d.',
    ],
    'wrong-password': [
      `sudo on ${ctx.hostLabel} rejected the password for ${user}.`,
      "Check the sudo password (usually the user's login password); Kubesmith will ask again on the next attempt.",
    ],
    'not-allowed': [
      `${user} is not allowed to use sudo on ${ctx.hostLabel}${said}.`,
      `Add the user to the sudo group (usermod -aG sudo ${ctx.user ?? 'USER'}) or give it a rule in /etc/sudoers.d.`,
    ],
    missing: [`sudo is not installed on ${ctx.hostLabel}.`, 'Install it as root: apt-get install sudo.'],
    'no-password-given': [`No sudo password was given for ${ctx.hostLabel}.`, 'Enter the sudo password when asked.'],
  };
  const [message, hint] = byReason[reason];
  return new KubesmithError(SshErrorName.SudoRefused, message, hint, facts(ctx, { reason }));
}

export function commandTimedOutError(ctx: SshErrorContext, label: string, timeoutMs: number): KubesmithError {
  return new KubesmithError(
    SshErrorName.CommandTimedOut,
    `"${label}" on ${ctx.hostLabel} did not finish within ${formatDuration(timeoutMs)} and was stopped.`,
    'The host may be slow or stuck; check it and run the step again.',
    facts(ctx, { timeoutMs }),
  );
}

export function commandCancelledError(ctx: SshErrorContext, label: string): KubesmithError {
  return new KubesmithError(SshErrorName.CommandCancelled, `"${label}" on ${ctx.hostLabel} was cancelled.`, undefined, facts(ctx));
}

export function connectTimeoutError(ctx: SshErrorContext, timeoutMs?: number): KubesmithError {
  return new KubesmithError(
    SshErrorName.ConnectTimeout,
    `No answer from ${ctx.hostLabel}${timeoutMs !== undefined ? ` within ${formatDuration(timeoutMs)}` : ''}.`,
    'Is the machine powered on and reachable from this computer? Check the address, the port and any firewall in between.',
    facts(ctx),
  );
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 120 ? `${Number.isInteger(s) ? s : s.toFixed(1)} s` : `${Math.round(s / 60)} min`;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
// A stream written to or a channel used after the connection under it closed: the connection is what was lost.
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_WRITE_AFTER_END', 'ERR_STREAM_DESTROYED']);
const LOST_MESSAGES = [
  'No response from server',
  'Not connected',
  'Keepalive timeout',
  'Connection lost',
  'No connection',
  'Channel is not open',
];

/**
 * Turns anything ssh2, Node or sftp-server throws into a KubesmithError whose
 * message names the machine and says what to do. KubesmithErrors pass through.
 */
export function describeSshError(err: unknown, ctx: SshErrorContext): KubesmithError {
  if (err instanceof KubesmithError) return err;
  const code = errorCode(err);
  const level = errorLevel(err);
  const message = errorMessage(err);
  const target = ctx.address !== undefined ? `${ctx.address}:${ctx.port ?? 22}` : ctx.hostLabel;

  if (typeof code === 'string') {
    if (DNS_CODES.has(code)) {
      return new KubesmithError(
        SshErrorName.HostNotFound,
        `Could not find ${ctx.address !== undefined ? `'${ctx.address}'` : ctx.hostLabel}: the name does not resolve (${code}).`,
        'Check the spelling of the address and your DNS, or use the IP address instead.',
        facts(ctx, { code }),
      );
    }
    if (code === 'ECONNREFUSED') {
      return new KubesmithError(
        SshErrorName.ConnectionRefused,
        `${ctx.hostLabel} refused the connection on ${target}.`,
        `Is the SSH server running and listening on port ${ctx.port ?? 22}? (systemctl status ssh) Is a firewall rejecting it?`,
        facts(ctx, { code }),
      );
    }
    if (code === 'ETIMEDOUT') return connectTimeoutError(ctx);
    if (UNREACHABLE_CODES.has(code)) {
      return new KubesmithError(
        SshErrorName.HostUnreachable,
        `There is no network route to ${ctx.hostLabel} (${code}).`,
        'Is the machine on and on a network this computer can reach? Check the address and your routing or VPN.',
        facts(ctx, { code }),
      );
    }
    if (LOST_CODES.has(code)) return connectionLostError(ctx, message);
    if (code === 'ENOSPC') return diskFullError(ctx);
    if (code === 'EACCES' || code === 'EPERM') return permissionDeniedError(ctx);
    if (code === 'ENOENT') return noSuchPathError(ctx);
  }

  if (typeof code === 'number' && level === undefined && ctx.sftpStep !== undefined) {
    if (code === SFTP_NO_SUCH_FILE) return noSuchPathError(ctx);
    if (code === SFTP_PERMISSION_DENIED) return permissionDeniedError(ctx);
    if (code === SFTP_FAILURE && (ctx.sftpStep === 'write' || ctx.sftpStep === 'fsync' || ctx.sftpStep === 'close')) {
      // sftp-server reports ENOSPC and EDQUOT as plain SSH_FX_FAILURE.
      return diskFullError(ctx);
    }
    return new KubesmithError(
      SshErrorName.RemoteFileError,
      `A file operation (${ctx.sftpStep}) on ${ctx.hostLabel} failed: ${message}${ctx.path !== undefined ? ` (${ctx.path})` : ''}.`,
      'Check that the folder exists, that the path is not a directory, and that there is free space.',
      facts(ctx, { sftpCode: code }),
    );
  }

  if (level === 'client-timeout') {
    if (message.includes('Keepalive')) return connectionLostError(ctx, message);
    return connectTimeoutError(ctx);
  }
  if (level === 'client-authentication') return authFailedError(ctx, [], undefined);
  if (level === 'handshake' || message.startsWith('Handshake failed')) {
    if (message.includes('Host denied')) return hostKeyRejectedError(ctx, 'unknown', 'unknown');
    return new KubesmithError(
      SshErrorName.ProtocolMismatch,
      `Kubesmith and the SSH server on ${ctx.hostLabel} could not agree on how to talk: ${message}.`,
      'The server may only offer very old algorithms, or may not be an SSH server at all. Check the port and the sshd version.',
      facts(ctx),
    );
  }
  if (LOST_MESSAGES.some((m) => message.includes(m))) return connectionLostError(ctx, message);
  if (message.includes('Channel open failure')) {
    return new KubesmithError(
      SshErrorName.ChannelRefused,
      `${ctx.hostLabel} refused to open a session: ${message.replace('(SSH) Channel open failure: ', '')}.`,
      'The server may limit sessions (MaxSessions) or forbid this kind of channel.',
      facts(ctx),
    );
  }
  if (/No space left on device|Disk quota exceeded/i.test(message)) return diskFullError(ctx);
  if (/Permission denied|Operation not permitted/i.test(message)) return permissionDeniedError(ctx);

  return new KubesmithError(
    SshErrorName.SshError,
    `SSH to ${ctx.hostLabel} failed: ${message}`,
    'This is unexpected. The main-process log has the details.',
    facts(ctx),
  );
}

export function connectionLostError(ctx: SshErrorContext, why?: string): KubesmithError {
  return new KubesmithError(
    SshErrorName.ConnectionLost,
    `The connection to ${ctx.hostLabel} was lost${why !== undefined ? ` (${why})` : ''}.`,
    'The host may have rebooted or the network dropped. Kubesmith reconnects on the next step; run it again.',
    facts(ctx),
  );
}

export function noSuchPathError(ctx: SshErrorContext): KubesmithError {
  return new KubesmithError(
    SshErrorName.NoSuchPath,
    `${ctx.path !== undefined ? ctx.path : 'The path'} does not exist on ${ctx.hostLabel}.`,
    'Check the path; the folder must exist before a file can be written into it.',
    facts(ctx),
  );
}

export function isTransientConnectError(err: unknown): boolean {
  return (
    err instanceof KubesmithError &&
    (err.name === SshErrorName.ConnectionRefused || err.name === SshErrorName.ConnectionLost || err.name === SshErrorName.HostUnreachable)
  );
}
