import type { Host } from '../../../src-shared/model/cluster';
import type { DeployRun, FailureCause, HostRun, RunMode } from '../../../src-shared/model/deploy-run';
import type { PhaseId, Plan, PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { JournalStore } from './journal';
import type { HostTransport, TransportProvider } from './transport';
import type { StepTimer } from './step-timer';

export interface RunEvents {
  /** The run's state after every change (host rows, counts). */
  onRun(run: DeployRun): void;
  onLog(hostId: string, stream: 'stdout' | 'stderr' | 'info', line: string): void;
}

export interface RunRequest {
  runId: string;
  plan: Plan;
  hosts: readonly Host[];
  transports: TransportProvider;
  journal: JournalStore;
  /** fresh: run every step (each checks the host first); resume: skip steps the journal has; retry: only `retry`. */
  mode: RunMode;
  retry?: { hostId: string; stepId: string };
  /** Hosts at once within a phase; etcd members always start together. */
  concurrency: number;
  /** Stop after this phase (the lab stops before what it cannot run). */
  stopAfter?: PhaseId;
  signal: AbortSignal;
  events: RunEvents;
  /** Seconds since the epoch, for the clock check. */
  now?: () => number;
  /** Milliseconds, monotonic, for the speed of uploads on the host rows (tests hand in their own). */
  transferClock?: () => number;
  /** Measures each job and step (where the time goes: src-main/deploy/timings). */
  timer?: StepTimer;
}

/** What the jobs of one run share: the request, the host rows, the open transports. */
export interface RunContext {
  req: RunRequest;
  run: DeployRun;
  /** Hosts that failed, were blocked or cancelled: none of their later jobs run. */
  stopped: Set<string>;
  /** What preflight steps printed that must differ between hosts (machine ids, MACs). */
  identities: Map<string, { stepId: string; lines: string[] }>;
  /**
   * Steps anywhere in the run that changed a host or may have (failed), so far; only ever grows. A host's prefetched
   * state holds only while this has not moved since the prefetch started.
   */
  changes: number;
  row(hostId: string): HostRun;
  hostName(hostId: string): string;
  transportFor(hostId: string): HostTransport;
  inScope(job: PlanJob, step: PlanStep): boolean;
  publish(): void;
  fail(hostId: string, cause: FailureCause): void;
  block(job: PlanJob, why: string): void;
}

/** The run's starting state: one row per host that has a step in scope, every host pending. */
export function runContext(req: RunRequest, phases: Plan['phases']): RunContext {
  const { plan } = req;
  const inScope = (job: PlanJob, step: PlanStep): boolean =>
    req.mode !== 'retry' || (req.retry !== undefined && job.hostId === req.retry.hostId && step.id === req.retry.stepId);
  const hostById = new Map(req.hosts.map((h) => [h.id, h]));
  const rows = new Map<string, HostRun>();
  for (const phase of phases) {
    for (const job of phase.jobs) {
      const total = job.steps.filter((s) => inScope(job, s)).length;
      if (total === 0) continue;
      const row = rows.get(job.hostId) ?? { hostId: job.hostId, hostName: job.hostName, state: 'pending', done: 0, total: 0 };
      row.total += total;
      rows.set(job.hostId, row);
    }
  }
  const run: DeployRun = {
    runId: req.runId,
    cluster: plan.cluster,
    operation: plan.operation,
    mode: req.mode,
    planHash: plan.hash,
    state: 'running',
    startedAt: new Date().toISOString(),
    hosts: [...rows.values()],
    counts: { changed: 0, unchanged: 0, journaled: 0, failed: 0 },
    bytesUploaded: 0,
  };
  const transports = new Map<string, HostTransport>();
  const stopped = new Set<string>();
  const row = (hostId: string): HostRun => rows.get(hostId) as HostRun;
  const ctx: RunContext = {
    req,
    run,
    stopped,
    identities: new Map(),
    changes: 0,
    row,
    hostName: (id) => rows.get(id)?.hostName ?? hostById.get(id)?.name ?? id,
    inScope,
    publish: () => req.events.onRun(structuredClone(run)),
    transportFor: (hostId) => {
      let t = transports.get(hostId);
      if (!t) {
        const host = hostById.get(hostId);
        if (!host) throw new Error(`runner: the plan names host ${hostId}, which the cluster does not have`);
        t = req.transports.forHost(host);
        transports.set(hostId, t);
      }
      return t;
    },
    fail: (hostId, cause) => {
      const r = row(hostId);
      r.state = 'failed';
      r.cause = cause;
      r.finishedAt = new Date().toISOString();
      run.counts.failed++;
      stopped.add(hostId);
    },
    block: (job, why) => {
      const r = row(job.hostId);
      r.state = 'blocked';
      r.phase = job.phase;
      r.blockedBy = why;
      r.finishedAt = new Date().toISOString();
      stopped.add(job.hostId);
      req.events.onLog(job.hostId, 'info', `blocked: ${why}`);
    },
  };
  return ctx;
}
