import { KubesmithError } from '../../../src-shared/errors';
import type { CommandAction } from '../../../src-shared/model/plan';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { checkPassed, checkThenRun, withoutDoneLine } from './check-then-run';
import { sleep } from './limit';
import { pollOnHost, pollPauses } from './poll-on-host';
import { StepFailedError } from './step-error';
import type { HostTransport, RemoteResult } from './transport';

export interface CommandResult {
  changed: boolean;
  stdout: string;
}

export interface CommandIo {
  signal?: AbortSignal;
  /** Each attempt's output as it arrives. */
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  onInfo?: (line: string) => void;
  /** Seconds since the epoch on this computer, for the clock check. */
  now?: () => number;
  /** The skipIf check's outcome, already known from a batched pre-check (undefined: check now). */
  skipKnown?: boolean;
}

/**
 * Runs a command step: nothing when its skipIf check passes, otherwise `run` (repeated for waits). A check not
 * known yet goes to the host with the first attempt, in one command (checkThenRun).
 * A command without skipIf is a check or a wait; it never counts as a change.
 */
export async function runCommand(t: HostTransport, title: string, action: CommandAction, io: CommandIo = {}): Promise<CommandResult> {
  const base = { ...(io.signal ? { signal: io.signal } : {}) };
  const alreadyDone = (): CommandResult => {
    io.onInfo?.('already done: nothing to change');
    return { changed: false, stdout: '' };
  };
  if (action.skipIf && io.skipKnown === true) return alreadyDone();
  const checkFirst = action.skipIf !== undefined && io.skipKnown === undefined ? action.skipIf : undefined;
  const attempts = action.retry?.attempts ?? 1;
  const pollMs = attempts > 1 ? action.retry?.pollMs : undefined;
  const runOf = (attempt: number): ShellCommand =>
    pollMs ? pollOnHost(action.run, action.retry!.intervalMs, pollPauses(attempt, pollMs, action.retry!.intervalMs)) : action.run;
  const now = io.now ?? (() => Date.now() / 1000);
  let last: RemoteResult | undefined;
  let lastStartedAt = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      // A polled attempt waited its interval on the host already.
      if (!pollMs) await sleep(retryDelayMs(attempt, action.retry?.intervalMs ?? 1000), io.signal);
      if (io.signal?.aborted) break;
      if (attempt === 2 || attempt % 10 === 0) io.onInfo?.(`waiting… (attempt ${attempt} of ${attempts})`);
    }
    lastStartedAt = now();
    const withCheck = attempt === 1 && checkFirst !== undefined;
    const live = withCheck ? withoutDoneLine(io.onStdout) : { onStdout: io.onStdout, end: () => undefined };
    last = await t
      .exec(withCheck ? checkThenRun(checkFirst, runOf(attempt)).command : runOf(attempt), {
        ...base,
        ...(action.timeoutMs ? { timeoutMs: action.timeoutMs } : {}),
        // Waits print the same failure many times; only the first attempt and the last are worth reading live.
        ...(attempt === 1 || attempt === attempts ? { onStdout: live.onStdout, onStderr: io.onStderr } : {}),
      })
      .catch((err: unknown) => {
        // A wait that times out once is just another failed attempt.
        if (err instanceof KubesmithError && err.name === 'CommandTimedOut' && attempt < attempts)
          return { code: 124, stdout: '', stderr: err.message };
        throw err;
      });
    live.end(last);
    if (withCheck && checkPassed(last)) return alreadyDone();
    if (last.code === 0) break;
  }
  if (!last) throw new KubesmithError('CommandCancelled', `${title} was cancelled.`);
  if (last.code !== 0) {
    throw new StepFailedError(
      title,
      action.run,
      last.code,
      last.stderr,
      last.stdout,
      attempts > 1 ? `${title}: still failing after ${attempts} attempts${lastSaid(last)}` : undefined,
    );
  }
  assertClockWithin(action, last.stdout, lastStartedAt, now());
  return { changed: action.skipIf !== undefined, stdout: last.stdout };
}

/**
 * A clock check's verdict: the host's time (what it printed, seconds since the epoch) lies within the action's
 * allowance of the span this computer sent the command and had its answer. Nothing for an action without one.
 */
export function assertClockWithin(action: CommandAction, stdout: string, sentAt: number, answeredAt: number): void {
  if (action.clockSkewMaxSeconds === undefined) return;
  const remote = Number(stdout.trim());
  const skew = clockSkewSeconds(remote, sentAt, answeredAt);
  if (!Number.isFinite(remote) || skew > action.clockSkewMaxSeconds) {
    throw new KubesmithError(
      'ClockSkew',
      `The host's clock is ${Number.isFinite(remote) ? `${Math.round(skew)} s` : 'unreadably'} off from this computer's (at most ${action.clockSkewMaxSeconds} s allowed).`,
      'Certificates and etcd need synchronised clocks: enable NTP (timedatectl set-ntp true) on the host.',
    );
  }
}

/**
 * The wait before an attempt: short at first, since a unit just started is often ready within a second, then the
 * step's interval. A fixed interval made every wait on the deploy's critical path cost a whole interval.
 */
export function retryDelayMs(attempt: number, intervalMs: number): number {
  return Math.min(intervalMs, 250 * 2 ** Math.max(0, attempt - 2));
}

/**
 * How far the host's clock is off: the host read it somewhere between sending the command and its answer, so only a
 * reading outside that window (widened by the second it was rounded down to) is skew. A slow or queued command
 * widens the window instead of counting as an off clock.
 */
export function clockSkewSeconds(remoteSeconds: number, sentAt: number, answeredAt: number): number {
  if (remoteSeconds < sentAt - 1) return sentAt - 1 - remoteSeconds;
  if (remoteSeconds > answeredAt) return remoteSeconds - answeredAt;
  return 0;
}

function lastSaid(r: RemoteResult): string {
  const said = (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' / ');
  return said ? `: ${said}` : '.';
}
