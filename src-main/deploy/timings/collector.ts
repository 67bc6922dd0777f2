import type { Operation, PhaseId, PlanJob, PlanStep } from '../../../src-shared/model/plan';
import {
  STEP_LIMIT,
  type HostTiming,
  type PhaseTiming,
  type RunTimings,
  type StepTiming,
  type TimingFigures,
} from '../../../src-shared/model/run-timings';
import type { StepTimer } from '../engine/step-timer';
import { emptyTally, withTally, type Tally } from './tally';

interface Span {
  phase: PhaseId;
  hostId: string;
  hostName: string;
  start: number;
  end: number;
  tally: Tally;
}

type StepSpan = Span & { stepId: string; title: string };

/**
 * Collects one run's timings: the runner hands it each job and step, the timed transports (timed-transport.ts) and
 * local work (tally.ts) count into whichever is running. A job's own tally holds only what ran outside its steps
 * (the batched reads of file states and checks); `finish` adds them up per phase and per host.
 */
export class RunTimer implements StepTimer {
  private readonly jobs: Span[] = [];
  private readonly steps: StepSpan[] = [];
  private readonly before = { wallMs: 0, tally: emptyTally() };
  private readonly startedAt = new Date();
  private readonly t0: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.t0 = now();
  }

  /** Building the plan again at the start of the run (on this computer). */
  async beforeRun<T>(run: () => Promise<T>): Promise<T> {
    const start = this.now();
    try {
      return await withTally(this.before.tally, run);
    } finally {
      this.before.wallMs += this.now() - start;
    }
  }

  job<T>(job: PlanJob, run: () => Promise<T>): Promise<T> {
    return this.measure({ phase: job.phase, hostId: job.hostId, hostName: job.hostName }, this.jobs, run);
  }

  step<T>(job: PlanJob, step: PlanStep, run: () => Promise<T>): Promise<T> {
    const where = { phase: job.phase, hostId: job.hostId, hostName: job.hostName, stepId: step.id, title: step.title };
    return this.measure(where, this.steps, run);
  }

  finish(run: { runId: string; cluster: string; operation?: Operation }): RunTimings {
    const end = this.now();
    const phases = new Map<PhaseId, PhaseTiming & { first: number; last: number }>();
    const hosts = new Map<string, HostTiming & { first: number; last: number }>();
    for (const j of this.jobs) {
      const p = phases.get(j.phase) ?? { phase: j.phase, hosts: 0, ...zero(), first: j.start, last: j.end };
      p.hosts++;
      p.first = Math.min(p.first, j.start);
      p.last = Math.max(p.last, j.end);
      addTally(p, j.tally);
      phases.set(j.phase, p);
      const h = hosts.get(j.hostId) ?? { hostId: j.hostId, hostName: j.hostName, idleMs: 0, ...zero(), first: j.start, last: j.end };
      h.wallMs += j.end - j.start;
      h.first = Math.min(h.first, j.start);
      h.last = Math.max(h.last, j.end);
      addTally(h, j.tally);
      hosts.set(j.hostId, h);
    }
    for (const s of this.steps) {
      const p = phases.get(s.phase);
      if (p) addTally(p, s.tally);
      const h = hosts.get(s.hostId);
      if (h) addTally(h, s.tally);
    }
    const steps: StepTiming[] = this.steps.map((s) => ({
      phase: s.phase,
      hostId: s.hostId,
      hostName: s.hostName,
      stepId: s.stepId,
      title: s.title,
      wallMs: s.end - s.start,
      ...s.tally,
    }));
    return {
      runId: run.runId,
      cluster: run.cluster,
      ...(run.operation ? { operation: run.operation } : {}),
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date(this.startedAt.getTime() + (end - this.t0)).toISOString(),
      totalMs: end - this.t0,
      beforeRun: { wallMs: this.before.wallMs, localMs: this.before.tally.localMs },
      phases: [...phases.values()].map(({ first, last, ...p }) => ({ ...p, wallMs: last - first })),
      hosts: [...hosts.values()].map(({ first, last, ...h }) => ({ ...h, idleMs: Math.max(0, last - first - h.wallMs) })),
      steps: steps.sort((a, b) => b.wallMs - a.wallMs).slice(0, STEP_LIMIT),
      stepCount: steps.length,
    };
  }

  private async measure<S extends Omit<Span, 'start' | 'end' | 'tally'>, T>(
    where: S,
    into: Array<S & Span>,
    run: () => Promise<T>,
  ): Promise<T> {
    const span = { ...where, start: this.now(), end: 0, tally: emptyTally() } as S & Span;
    try {
      return await withTally(span.tally, run);
    } finally {
      span.end = this.now();
      into.push(span);
    }
  }
}

const zero = (): TimingFigures => ({ wallMs: 0, ...emptyTally() });

function addTally(into: TimingFigures, t: Tally): void {
  into.remoteMs += t.remoteMs;
  into.waitMs += t.waitMs;
  into.localMs += t.localMs;
  into.bytes += t.bytes;
  into.roundTrips += t.roundTrips;
}
