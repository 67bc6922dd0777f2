import type { FileAction, PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { probeJob, type JobProbe, type ProbeAnswer } from './job-probe';
import { fileStates, type FileState } from './file-step';
import { chooseByCommand } from './kept-answer';
import type { RunContext } from './run-context';
import type { HostTransport } from './transport';

/**
 * What the host has now, read in two round trips for the whole job (file states, and the probe: guards, variant
 * choices and, on a host with nothing to change, the checks). Valid only while nothing in the job has changed the
 * host: after the first change, later steps check for themselves again — except a file it found missing or
 * different, which is written all the same (job.ts).
 */
export interface HostSnapshot {
  files: Map<string, FileState>;
  checks: Map<string, boolean>;
  /** What each variant file's chooseBy printed, by step id. */
  chosen: Map<string, string>;
  /** Checks that already ran in the probe, by step id. */
  ran: Map<string, ProbeAnswer>;
  /** A step of the job changed the host: the snapshot no longer holds. */
  stale: boolean;
}

/**
 * A check whose answer the probe can give: read-only, on the job's host, and needing nothing but its exit code, its
 * output and when it was asked (the clock check: the probe's round trip brackets the host's time, as a command of its
 * own would).
 */
const probeable = (s: PlanStep): boolean => s.action.kind === 'command' && s.action.check === true && !s.action.skipIf;

const command = (s: PlanStep, key: 'skipIf' | 'run') => (s.action as unknown as Record<string, ShellCommand>)[key] as ShellCommand;

/** What a job asks the host before its first step: its steps that will run here, by what is asked of each. */
export interface JobQuestions {
  /** Every step asked about, by id (two askings of one job agree only when these do). */
  stepIds: string[];
  files: PlanStep[];
  variants: PlanStep[];
  guarded: PlanStep[];
  checks: PlanStep[];
}

export function jobQuestions(ctx: RunContext, job: PlanJob): JobQuestions {
  const { mode, journal } = ctx.req;
  const candidate = (s: PlanStep) => ctx.inScope(job, s) && !s.runOn && !(mode === 'resume' && journal.finished(s.id, s.hash));
  const steps = job.steps.filter(candidate);
  const files = steps.filter((s) => s.action.kind === 'file');
  return {
    stepIds: steps.map((s) => s.id),
    files,
    variants: files.filter((s) => s.action.kind === 'file' && s.action.chooseBy),
    guarded: steps.filter((s) => s.action.kind === 'command' && s.action.skipIf),
    checks: steps.filter(probeable),
  };
}

export const filePaths = (q: JobQuestions): string[] => q.files.map((s) => (s.action as { path: string }).path);

/** The probe's three lists of commands for the job. */
export const probeCommands = (q: JobQuestions): [ShellCommand[], ShellCommand[], ShellCommand[]] => [
  q.guarded.map((s) => command(s, 'skipIf')),
  q.variants.map((s) => chooseByCommand(s.action as FileAction) as ShellCommand),
  q.checks.map((s) => command(s, 'run')),
];

/** The job's snapshot from the host's answers; artifacts the host lacks are announced to the transport. */
export function snapshotFrom(
  q: JobQuestions,
  states: Map<string, FileState>,
  probe: JobProbe | undefined,
  t: HostTransport,
  signal: AbortSignal,
): HostSnapshot {
  // Artifacts whose bytes the host lacks (unknown states are left out): the transport may start moving them now.
  const uploads = q.files.flatMap((s) => {
    const a = s.action as { path: string; sha256: string; localPath?: string };
    return a.localPath !== undefined && states.has(a.path) && states.get(a.path)?.sha256 !== a.sha256 ? [a.localPath] : [];
  });
  if (uploads.length > 0) t.expectUploads?.(uploads, signal);
  const byStep = <T, U>(list: PlanStep[], answers: Array<T | undefined> | undefined, value: (a: T) => U): Map<string, U> =>
    new Map(list.flatMap((s, i) => (answers?.[i] !== undefined ? [[s.id, value(answers[i] as T)] as [string, U]] : [])));
  return {
    files: states,
    checks: byStep(q.guarded, probe?.guards, (passed) => passed),
    chosen: byStep(q.variants, probe?.chosen, (a) => a.output),
    ran: byStep(q.checks, probe?.checks, (a) => a),
    stale: false,
  };
}

/** Reads the job's snapshot from the host: file states and the probe, at once. */
export async function snapshot(ctx: RunContext, job: PlanJob, t: HostTransport): Promise<HostSnapshot> {
  const { signal } = ctx.req;
  const q = jobQuestions(ctx, job);
  const [states, probe] = await Promise.all([
    fileStates(t, filePaths(q), signal).catch(() => new Map<string, FileState>()),
    probeJob(t, ...probeCommands(q), signal, ctx.req.now).catch(() => undefined),
  ]);
  return snapshotFrom(q, states, probe, t, signal);
}
