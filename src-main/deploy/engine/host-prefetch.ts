import type { Plan, PlanJob } from '../../../src-shared/model/plan';
import { fileStates, type FileState } from './file-step';
import { probeJobs, type JobProbe } from './job-probe';
import { filePaths, jobQuestions, probeCommands, snapshotFrom, type HostSnapshot, type JobQuestions } from './job-snapshot';
import type { RunContext } from './run-context';

interface Prefetched {
  questions: JobQuestions;
  /** Undefined: the host did not answer for this job. */
  states: Map<string, FileState> | undefined;
  probe: JobProbe | undefined;
}

interface HostPrefetch {
  /** The run's change count when the prefetch started. */
  changesAtStart: number;
  answers: Promise<Map<PlanJob, Prefetched>>;
}

/**
 * One read of a host's state for all its later jobs, taken when its first job starts: one file-states command for
 * the union of their files and one probe for all their guards, choices and checks, so an unchanged re-run costs two
 * round trips per host instead of two per job. A job uses its part only while no step anywhere in the run has
 * changed anything since the prefetch started (`ctx.changes`); otherwise, or where the host did not answer, it
 * reads its own snapshot as before.
 */
export class HostPrefetcher {
  private readonly hosts = new Map<string, HostPrefetch | undefined>();

  constructor(
    private readonly ctx: RunContext,
    private readonly phases: Plan['phases'],
  ) {}

  /** The job's snapshot from its host's prefetch if that still holds; at a host's first job, starts the prefetch. */
  async snapshotFor(job: PlanJob): Promise<HostSnapshot | undefined> {
    if (!this.hosts.has(job.hostId)) {
      this.hosts.set(job.hostId, this.start(job));
      return undefined;
    }
    const host = this.hosts.get(job.hostId);
    if (!host) return undefined;
    const got = (await host.answers).get(job);
    if (!got?.states || !got.probe || this.ctx.changes !== host.changesAtStart) return undefined;
    // The journal or the scope could have moved since (Resume): the prefetch must have asked about the same steps.
    const now = jobQuestions(this.ctx, job);
    if (now.stepIds.join('\n') !== got.questions.stepIds.join('\n')) return undefined;
    const { signal } = this.ctx.req;
    return snapshotFrom(got.questions, new Map(got.states), got.probe, this.ctx.transportFor(job.hostId), signal);
  }

  private start(first: PlanJob): HostPrefetch | undefined {
    const later = this.phases
      .flatMap((p) => p.jobs)
      .filter((j) => j.hostId === first.hostId && j !== first)
      .map((job) => ({ job, questions: jobQuestions(this.ctx, job) }))
      .filter((j) => j.questions.stepIds.length > 0);
    if (later.length === 0) return undefined;
    const t = this.ctx.transportFor(first.hostId);
    const { signal } = this.ctx.req;
    const paths = [...new Set(later.flatMap((j) => filePaths(j.questions)))];
    const read = async (): Promise<Map<PlanJob, Prefetched>> => {
      const [states, probes] = await Promise.all([
        fileStates(t, paths, signal).catch(() => new Map<string, FileState>()),
        probeJobs(
          t,
          later.map((j) => probeCommands(j.questions)),
          signal,
        ).catch(() => later.map(() => undefined)),
      ]);
      return new Map(
        later.map(({ job, questions }, i) => {
          const mine = filePaths(questions);
          // fileStates answers every path it was asked about, or none when it failed.
          const answered = mine.every((p) => states.has(p));
          const own = answered ? new Map(mine.map((p) => [p, states.get(p)])) : undefined;
          return [job, { questions, states: own, probe: probes[i] }];
        }),
      );
    };
    return { changesAtStart: this.ctx.changes, answers: read() };
  }
}
