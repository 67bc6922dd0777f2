import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { sh, shellOf, type Shell } from '../../ssh/shell';
import { quietGuard } from './job-probe';
import type { RemoteResult } from './transport';

/** The one line a step's command prints when its check passed on the host and its run was left out. */
export const ALREADY_DONE = 'ks-already-done';
const DONE_LINE = `${ALREADY_DONE}\n`;

/**
 * A command step's check and its run as one command: the check first, as the probe runs it (quietGuard), then the
 * run only when the check failed. One round trip where a check and then its run took two, each with a session and a
 * shell of its own on the host; the check still reads the host right before the run. A check known from the job's
 * probe is not asked again.
 */
export function checkThenRun(skipIf: ShellCommand, run: ShellCommand): Shell {
  return sh`if ${quietGuard(skipIf)}; then echo ${ALREADY_DONE}; exit 0; fi
${shellOf(run)}`;
}

/** Whether a checkThenRun command found its check passed (and ran nothing). */
export const checkPassed = (r: RemoteResult): boolean => r.code === 0 && r.stdout === DONE_LINE;

/**
 * Passes a checkThenRun command's output on as it arrives, all but the ALREADY_DONE line: what came so far is held
 * back only while it could still be that line. `end` hands over what is held when it was not.
 */
export function withoutDoneLine(onStdout?: (chunk: Buffer) => void): { onStdout: (chunk: Buffer) => void; end: (r: RemoteResult) => void } {
  const line = Buffer.from(DONE_LINE);
  let held: Buffer | undefined = Buffer.alloc(0);
  return {
    onStdout: (chunk) => {
      if (held === undefined) return onStdout?.(chunk);
      const sofar = Buffer.concat([held, chunk]);
      if (sofar.length <= line.length && line.subarray(0, sofar.length).equals(sofar)) {
        held = sofar;
        return;
      }
      held = undefined;
      onStdout?.(sofar);
    },
    end: (r) => {
      if (held !== undefined && held.length > 0 && !checkPassed(r)) onStdout?.(held);
      held = undefined;
    },
  };
}
