import { KubesmithError } from '../../../src-shared/errors';

/** A step's command exited non-zero: what ran, how it ended and what it said. */
export class StepFailedError extends KubesmithError {
  constructor(
    readonly stepTitle: string,
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly stdout: string,
    message?: string,
  ) {
    const said = lastLines(stderr || stdout, 3);
    super(
      'StepFailed',
      message ??
        `${stepTitle} failed${exitCode === null ? ' (killed by a signal)' : ` (exit code ${exitCode})`}${said ? `: ${said}` : '.'}`,
      'The output and the unit journal below say why. Fix the host, then Retry step or Resume.',
      { exitCode },
    );
  }
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' / ').trim();
}

export const isAbort = (err: unknown): boolean => err instanceof KubesmithError && err.name === 'CommandCancelled';

/** The connection (or its session channel) went away: the step may run again on a new one, steps being idempotent. */
export const isConnectionLoss = (e: unknown): boolean =>
  e instanceof KubesmithError && (e.name === 'ConnectionLost' || e.name === 'ChannelRefused');
