/** The main process's SSH layer: what the API handlers and the installer use. */
export { SshPool, type SshPoolOptions } from './connection-pool';
export type { AskSecret, ConfirmHostKey, HostKeyQuestion, SecretKind, SecretRequest } from './callbacks';
export type { ExecOptions, ExecResult } from './exec';
export type { UploadOptions, UploadResult } from './upload';
export type { ShellExit, ShellOptions, ShellSession } from './shell-session';
export { probeHost, SUPPORTED_OS } from './probe';
export { SshErrorName } from './errors';
export { sha256Fingerprint } from './fingerprint';
export { replaceKnownHostKey } from './known-hosts-file';
