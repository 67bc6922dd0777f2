import type { ClientChannel } from 'ssh2';

export interface ExitStatus {
  /** null when the command died of a signal. */
  code: number | null;
  /** e.g. "SIGKILL", when it died of a signal. */
  signal: string | null;
}

const recorded = new WeakMap<object, ExitStatus>();

/**
 * Starts recording a session channel's exit status; call it synchronously in
 * ssh2's open callback. ssh2 emits 'exit' the moment it parses the
 * exit-status request and does not keep the event for later listeners. A fast
 * command's exit status often arrives in the same socket read as the reply
 * that opened the channel (more so when the event loop is busy and reads
 * pile up), so it is emitted before anyone awaiting the channel can listen.
 */
export function recordExitStatus(channel: ClientChannel): void {
  channel.on('exit', (code: unknown, signal: unknown) => {
    recorded.set(channel, { code: typeof code === 'number' ? code : null, signal: typeof signal === 'string' ? signal : null });
  });
}

/**
 * The exit status the channel reported, or undefined when it closed without
 * one. `closeArgs` are the arguments of the channel's 'close' event, where
 * ssh2 repeats the status (code, or null and the signal name): the fallback
 * for channels not opened through recordExitStatus.
 */
export function exitStatusOf(channel: object, closeArgs: readonly unknown[] = []): ExitStatus | undefined {
  const status = recorded.get(channel);
  if (status !== undefined) return status;
  const [code, signal] = closeArgs;
  if (typeof code === 'number') return { code, signal: null };
  if (code === null && typeof signal === 'string') return { code: null, signal };
  return undefined;
}
