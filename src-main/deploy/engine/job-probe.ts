import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { raw, sh, shellOf, shJoin, type Shell } from '../../ssh/shell';
import type { HostTransport } from './transport';

/** What one read-only command said in the probe: its exit code and its output (stdout and stderr together). */
export interface ProbeAnswer {
  code: number;
  output: string;
  /** When this computer sent the probe and had its answer (seconds since the epoch), for a clock check among its items. */
  askedBetween?: readonly [sentAt: number, answeredAt: number];
}

/** The probe's answers, each in the order asked; undefined where the host did not answer (not run, or unreadable). */
export interface JobProbe {
  /** skipIf guards: passed or not. */
  guards: boolean[] | undefined;
  /** chooseBy commands of variant files: what each printed. */
  chosen: Array<ProbeAnswer | undefined>;
  /** Checks, run only when every guard passed (a host with nothing to change): how each went. */
  checks: Array<ProbeAnswer | undefined>;
}

/**
 * A guard as it runs on the host, in a probe and in front of its run alike: its own subshell (an `exit` in it ends
 * only the guard), no input, its output dropped. The two must stay the same, since a probe's verdict stands in for
 * the one the combined command would reach.
 */
export const quietGuard = (c: ShellCommand): Shell => sh`( ${shellOf(c)}
) </dev/null >/dev/null 2>&1`;

/**
 * What a command says, into `ks_o`: its stdout and stderr together, from its own subshell (the command substitution;
 * an `exit` in it ends only the command) with no input. A probe item and a kept answer ask alike.
 */
export const answerIntoKsO = (c: ShellCommand): Shell => sh`ks_o=$( { ${shellOf(c)}
} </dev/null 2>&1 )`;

/**
 * One command that reads a job's whole state on the host: every skipIf guard, every variant file's chooseBy, and,
 * when every guard passed, the job's checks too. An unchanged host then costs one round trip per job instead of
 * one per check group and two per variant file. The checks are read-only and run only when nothing is to change
 * (a first run, whose guards fail, does not wait on checks of services not yet started); the engine uses their
 * answers only while nothing in the job has changed the host since. Each item runs in its own subshell with no input.
 */
export function jobProbeScript(
  guards: readonly ShellCommand[],
  chooseBy: readonly ShellCommand[],
  checks: readonly ShellCommand[],
  /** Keep the verdict of the probes before this one: its checks run only when their guards passed too. */
  carry = false,
): Shell {
  // The command substitution is the item's own subshell (an `exit` in it ends only the item); each line it printed is
  // prefixed by the shell itself (`read` from a here-document, `printf`: no pipe, no sed), so an item costs one
  // process and its own commands — four with a subshell inside and `printf | sed` (three of them per item).
  const said = (kind: string, i: number, c: ShellCommand): Shell =>
    sh`${answerIntoKsO(c)}; echo ${`ks-${kind} ${i}`} $?; while IFS= read -r ks_l; do printf '%s %s\\n' ${`ks-${kind}-said ${i}`} "$ks_l"; done <<ks_said_end
$ks_o
ks_said_end`;
  return shJoin(
    [
      ...(carry ? [] : [raw('ks_ok=0')]),
      ...guards.map((c) => sh`${quietGuard(c)}; ks_c=$?; echo "ks-check $ks_c"; [ $ks_c = 0 ] || ks_ok=1`),
      ...chooseBy.map((c, i) => said('choose', i, c)),
      ...(checks.length > 0 ? [raw('if [ $ks_ok = 0 ]; then'), ...checks.map((c, i) => said('spec', i, c)), raw('fi')] : []),
    ],
    '\n',
  );
}

/** Reads the probe's output; answers it cannot find stay undefined (the step then asks for itself). */
export function parseJobProbe(stdout: string, counts: { guards: number; chooseBy: number; checks: number }): JobProbe {
  const codes = [...stdout.matchAll(/^ks-check (\d+)$/gm)].map((m) => m[1] === '0');
  const answers = (kind: string, n: number): Array<ProbeAnswer | undefined> => {
    const out: Array<ProbeAnswer | undefined> = Array.from({ length: n }, () => undefined);
    const lines = new Map<number, string[]>();
    for (const m of stdout.matchAll(new RegExp(`^ks-${kind}(-said)? (\\d+) ?(.*)$`, 'gm'))) {
      const i = Number(m[2]);
      if (!(i >= 0 && i < n)) continue;
      if (m[1]) lines.set(i, [...(lines.get(i) ?? []), m[3] ?? '']);
      else if (/^\d+$/.test(m[3] ?? '')) out[i] = { code: Number(m[3]), output: '' };
    }
    for (const [i, said] of lines) {
      const a = out[i];
      if (a) a.output = said.join('\n').trim();
    }
    return out;
  };
  return {
    guards: codes.length === counts.guards ? codes : undefined,
    chosen: answers('choose', counts.chooseBy),
    checks: answers('spec', counts.checks),
  };
}

/** Runs the probe on the host; an empty job asks nothing. */
export async function probeJob(
  t: HostTransport,
  guards: readonly ShellCommand[],
  chooseBy: readonly ShellCommand[],
  checks: readonly ShellCommand[],
  signal?: AbortSignal,
  /** Seconds since the epoch on this computer. */
  now: () => number = () => Date.now() / 1000,
): Promise<JobProbe> {
  const counts = { guards: guards.length, chooseBy: chooseBy.length, checks: checks.length };
  if (guards.length + chooseBy.length + checks.length === 0) return parseJobProbe('', counts);
  const sentAt = now();
  const r = await t.exec(jobProbeScript(guards, chooseBy, checks).command, signal ? { signal } : {});
  const askedBetween = [sentAt, now()] as const;
  const probe = parseJobProbe(r.stdout, counts);
  return { ...probe, checks: probe.checks.map((a) => a && { ...a, askedBetween }) };
}

/** The three lists of one job's probe (see jobProbeScript). */
export type ProbeQuestions = readonly [guards: readonly ShellCommand[], chooseBy: readonly ShellCommand[], checks: readonly ShellCommand[]];

/** First line of a probe for several jobs at once (the fake hosts of the tests know it by this). */
export const JOBS_PROBE_HEAD = ': ks-jobs-probe';

/**
 * Several jobs' probes in one command: each job's probe as jobProbeScript writes it, between `ks-job <i>` and
 * `ks-job-end <i>`. A job's checks run only when its own guards and those of the jobs before it all passed: a host
 * with work to do in an earlier job changes before the later job starts (its answers would not be used), and a first
 * run does not wait on checks of services not yet set up. Every line an item prints is prefixed, so none can forge
 * a marker; a job whose end marker is missing did not answer.
 */
export function jobsProbeScript(jobs: readonly ProbeQuestions[]): Shell {
  return shJoin(
    [
      raw(JOBS_PROBE_HEAD),
      ...jobs.flatMap((q, i) => [sh`echo ${`ks-job ${i}`}`, jobProbeScript(...q, i > 0), sh`echo ${`ks-job-end ${i}`}`]),
    ],
    '\n',
  );
}

/** Each job's answers, or undefined for a job whose section is missing or cut short. */
export function parseJobsProbe(stdout: string, jobs: readonly ProbeQuestions[]): Array<JobProbe | undefined> {
  return jobs.map(([guards, chooseBy, checks], i) => {
    const start = stdout.search(new RegExp(`^ks-job ${i}$`, 'm'));
    const end = stdout.search(new RegExp(`^ks-job-end ${i}$`, 'm'));
    if (start < 0 || end < start) return undefined;
    return parseJobProbe(stdout.slice(start, end), { guards: guards.length, chooseBy: chooseBy.length, checks: checks.length });
  });
}

/** Runs several jobs' probes in one round trip; a job with nothing to ask is answered without asking. */
export async function probeJobs(
  t: HostTransport,
  jobs: readonly ProbeQuestions[],
  signal?: AbortSignal,
): Promise<Array<JobProbe | undefined>> {
  const asking = jobs.flatMap((q, i) => (q.some((list) => list.length > 0) ? [i] : []));
  const empty = (q: ProbeQuestions) => parseJobProbe('', { guards: q[0].length, chooseBy: q[1].length, checks: q[2].length });
  if (asking.length === 0) return jobs.map(empty);
  const asked = asking.map((i) => jobs[i] as ProbeQuestions);
  const r = await t.exec(jobsProbeScript(asked).command, signal ? { signal } : {});
  const answers = parseJobsProbe(r.stdout, asked);
  return jobs.map((q, i) => (asking.includes(i) ? answers[asking.indexOf(i)] : empty(q)));
}
