import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { sh } from '../../ssh/shell';
import { answerIntoKsO } from './job-probe';

/** The first pause of the deploy's polled waits: a unit just started is often ready within a second. */
export const HOST_POLL_MS = 250;

/**
 * One attempt of a wait, polled on the host: `run` is asked again until it succeeds or `windowMs` has passed, in one
 * command, the pause between tries doubling from `pauses.firstMs` up to `pauses.maxMs`. Asked from this computer once per
 * attempt, a wait cost a round trip (an SSH channel, a shell) per try: the waits of a fresh 6-host lab run took 40–44
 * commands, 13–15 polled on the host.
 *
 * The window is read from /proc/uptime with the shell's `read` (no process, and no clock a time sync could move), in
 * hundredths of a second. What `run` said (stdout and stderr together) goes to stdout when it succeeds, to stderr with
 * its exit code when the window ends without success. Each try runs in its own subshell with no input.
 */
export function pollOnHost(run: ShellCommand, windowMs: number, pauses: { firstMs: number; maxMs: number }): ShellCommand {
  const cs = (ms: number): string => String(Math.max(1, Math.round(ms / 10)));
  return sh`ks_now() { read -r ks_u ks_x < /proc/uptime; ks_u=\${ks_u%.*}\${ks_u#*.}; ks_u=\${ks_u#\${ks_u%%[!0]*}}; }
ks_now; ks_w=${cs(windowMs)}; ks_p=${cs(pauses.firstMs)}; ks_m=${cs(Math.max(pauses.firstMs, pauses.maxMs))}; ks_end=$((\${ks_u:-0} + ks_w))
while :; do
${answerIntoKsO(run)} && { printf '%s\\n' "$ks_o"; exit 0; }
ks_c=$?; ks_now
if [ "\${ks_u:-0}" -ge "$ks_end" ]; then printf '%s\\n' "$ks_o" >&2; exit $ks_c; fi
sleep $((ks_p / 100)).$((ks_p % 100 / 10))$((ks_p % 10))
ks_p=$((ks_p * 2)); [ "$ks_p" -le "$ks_m" ] || ks_p=$ks_m
done`.command;
}

/**
 * The pauses of a polled wait's attempt: from `pollMs` doubling to half the step's interval in its first attempt (a
 * unit just started is often ready within a second), then half the interval, so later attempts ask twice per interval.
 */
export function pollPauses(attempt: number, pollMs: number, intervalMs: number): { firstMs: number; maxMs: number } {
  const maxMs = Math.max(pollMs, Math.round(intervalMs / 2));
  return { firstMs: attempt === 1 ? pollMs : maxMs, maxMs };
}
