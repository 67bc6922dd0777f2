import { ALL_AT_ONCE_PHASES, type Plan, type PlanJob } from '../../../src-shared/model/plan';
import { runLimited } from './limit';
import { jobKey, needsState, unmetNeed, type JobOutcome } from './needs';
import type { RunContext } from './run-context';

type Phase = Plan['phases'][number];

interface Entry {
  job: PlanJob;
  key: string;
  phase: PhaseState;
  state: 'waiting' | 'running' | 'settled';
}

interface PhaseState {
  phase: Phase;
  index: number;
  entries: Entry[];
  /** Indices of the earlier phases whose every job this phase waits for. */
  after: number[];
  /** Jobs of this phase running now (at most `concurrency`, except in a phase that starts all at once). */
  running: number;
  /** Its hosts start together (etcd members) or in batches: the phase starts as one, once every job is decided. */
  gang: boolean;
  started: boolean;
  settled: number;
}

type Decision = { kind: 'wait' } | { kind: 'ready' } | { kind: 'blocked'; why?: string };

export interface ScheduleHooks {
  /** `watching`: the job says only checks are left (a unit's "keeps running" window): its slot goes to the next job. */
  runJob(job: PlanJob, watching: () => void): Promise<JobOutcome>;
  /** Every job of the phase has settled (before any job waiting for the phase is looked at). */
  onPhaseSettled(phase: Phase, outcomes: Map<string, JobOutcome>): void;
}

/**
 * Runs the jobs of the phases by their dependencies rather than phase by phase. A job starts once
 *  - its host's earlier jobs have settled (a host's jobs run in plan order; a failed host runs nothing more),
 *  - every job of the phases its phase runs `after` has settled (absent: every earlier phase, a barrier), and the
 *    other hosts' jobs it names in its own `after` have settled, and
 *  - its `needs` are met: enough of the named jobs succeeded. When they can no longer be, it is blocked.
 * At most `concurrency` jobs of a phase run at once; while jobs of hosts that other jobs need (named in a `needs`)
 * still wait in a phase, as many slots of it (all but one at most) are kept for them. A phase that starts all at once
 * (etcd) or goes in batches starts as a whole once each of its jobs is ready or blocked. A job with only checks left
 * (a unit watched for a few seconds) gives its slot to the next job.
 */
export async function runScheduled(phases: Plan['phases'], ctx: RunContext, hooks: ScheduleHooks): Promise<Map<string, JobOutcome>> {
  const { req } = ctx;
  const outcomes = new Map<string, JobOutcome>();
  const states = phaseStates(phases, ctx);
  const entries = states.flatMap((s) => s.entries);
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const chains = new Map<string, Entry[]>();
  for (const e of entries) chains.set(e.job.hostId, [...(chains.get(e.job.hostId) ?? []), e]);
  const pending = (key: string): boolean => byKey.has(key) && byKey.get(key)?.state !== 'settled';

  const settle = (e: Entry, outcome: JobOutcome): void => {
    e.state = 'settled';
    outcomes.set(e.key, outcome);
    if (++e.phase.settled === e.phase.entries.length) {
      hooks.onPhaseSettled(e.phase.phase, outcomes);
      ctx.publish();
    }
  };
  const block = (e: Entry, why: string | undefined): void => {
    settle(e, 'blocked');
    if (why === undefined) return;
    ctx.block(e.job, why);
    ctx.publish();
  };

  const decide = (e: Entry): Decision => {
    const chain = chains.get(e.job.hostId) as Entry[];
    if (chain.slice(0, chain.indexOf(e)).some((x) => x.state !== 'settled')) return { kind: 'wait' };
    if (ctx.stopped.has(e.job.hostId)) return { kind: 'blocked' };
    if (e.phase.after.some((i) => (states[i] as PhaseState).settled < (states[i] as PhaseState).entries.length)) return { kind: 'wait' };
    if (e.job.after?.some((a) => a.hostIds.some((id) => pending(jobKey(a.phase, id))))) return { kind: 'wait' };
    if (req.mode === 'retry') return { kind: 'ready' };
    const needs = needsState(e.job.needs, outcomes, pending, ctx.hostName);
    if (needs.kind === 'unmet') return { kind: 'blocked', why: `${e.phase.phase.id} ${needs.why}` };
    return needs.kind === 'met' ? { kind: 'ready' } : { kind: 'wait' };
  };

  // Hosts other jobs need (etcd members, masters): the critical path. Their jobs of a phase have slots kept for them,
  // so a master whose runtime becomes ready after etcd does not wait behind workers that took every slot meanwhile.
  const gating = new Set(phases.flatMap((p) => p.jobs.flatMap((j) => j.needs.flatMap((n) => n.hostIds))));
  const slotsFor = (s: PhaseState, e: Entry): number => {
    const cap = Math.max(1, req.concurrency);
    if (gating.has(e.job.hostId)) return cap;
    const kept = s.entries.filter((x) => x.state === 'waiting' && gating.has(x.job.hostId)).length;
    return cap - Math.min(kept, cap - 1);
  };

  const running = new Set<Promise<void>>();
  const launch = (work: Promise<void>): void => {
    const p = work.finally(() => running.delete(p));
    running.add(p);
  };
  // Resolved when a job gives its slot back, so the loop below looks for a job to take it.
  let slotFreed = (): void => undefined;
  const startJob = (e: Entry): void => {
    e.state = 'running';
    e.phase.running++;
    let holds = true;
    const release = (): void => {
      if (!holds) return;
      holds = false;
      e.phase.running--;
      slotFreed();
    };
    launch(
      hooks.runJob(e.job, release).then((outcome) => {
        release();
        settle(e, outcome);
      }),
    );
  };
  const startGang = (s: PhaseState): boolean => {
    const decisions = s.entries.map((e) => [e, decide(e)] as const);
    if (decisions.some(([, d]) => d.kind === 'wait')) return false;
    s.started = true;
    for (const [e, d] of decisions) if (d.kind === 'blocked') block(e, d.why);
    const runnable = decisions.filter(([, d]) => d.kind === 'ready').map(([e]) => e);
    for (const e of runnable) e.state = 'running';
    launch(runGang(s, runnable));
    return true;
  };
  const runGang = async (s: PhaseState, runnable: Entry[]): Promise<void> => {
    // etcd members wait for each other to form a quorum: they must all be running at once.
    const limit = ALL_AT_ONCE_PHASES.has(s.phase.id) ? Math.max(req.concurrency, runnable.length) : req.concurrency;
    const batches = s.phase.batch ? chunks(runnable, s.phase.batch) : [runnable];
    for (const [i, batch] of batches.entries()) {
      await runLimited(batch, limit, async (e) => settle(e, await hooks.runJob(e.job, () => undefined)));
      const failed = batch.filter((e) => outcomes.get(e.key) !== 'succeeded');
      if (failed.length === 0 || req.signal.aborted) continue;
      const why = `${s.phase.id} stopped after ${failed.map((e) => e.job.hostName).join(', ')} failed; these hosts were left as they were`;
      for (const e of batches.slice(i + 1).flat()) block(e, why);
      break;
    }
  };

  /** Starts whatever can start now; blocking a job may decide others, so it goes round until nothing changes. */
  const pump = (): void => {
    for (let changed = true; changed && !req.signal.aborted;) {
      changed = false;
      for (const s of states) {
        if (s.started) continue;
        if (s.gang) {
          changed = startGang(s) || changed;
          continue;
        }
        for (const e of s.entries) {
          if (e.state !== 'waiting') continue;
          const d = decide(e);
          if (d.kind === 'blocked') {
            block(e, d.why);
            changed = true;
          } else if (d.kind === 'ready' && s.running < slotsFor(s, e)) {
            startJob(e);
          }
        }
        s.started = s.entries.every((e) => e.state !== 'waiting');
      }
    }
  };

  for (pump(); running.size > 0; pump()) {
    const freed = new Promise<void>((resolve) => (slotFreed = resolve));
    await Promise.race([...running, freed]);
  }
  if (!req.signal.aborted) blockStranded(entries, outcomes, ctx, block);
  return outcomes;
}

/** Jobs still waiting when nothing runs any more wait for something that cannot happen: they are blocked. */
function blockStranded(
  entries: Entry[],
  outcomes: Map<string, JobOutcome>,
  ctx: RunContext,
  block: (e: Entry, why: string | undefined) => void,
): void {
  for (const e of entries) {
    if (e.state !== 'waiting') continue;
    if (ctx.stopped.has(e.job.hostId)) {
      block(e, undefined);
      continue;
    }
    const why = unmetNeed(e.job.needs, outcomes, ctx.hostName) ?? 'waits for jobs that did not run';
    block(e, `${e.phase.phase.id} ${why}`);
  }
}

function phaseStates(phases: Plan['phases'], ctx: RunContext): PhaseState[] {
  return phases.map((phase, index) => {
    const earlier = phases.slice(0, index).map((p, i) => ({ id: p.id, i }));
    const after = (phase.after ? earlier.filter((p) => phase.after?.includes(p.id)) : earlier).map((p) => p.i);
    const state: PhaseState = {
      phase,
      index,
      entries: [],
      after,
      running: 0,
      gang: ALL_AT_ONCE_PHASES.has(phase.id) || phase.batch !== undefined,
      started: false,
      settled: 0,
    };
    state.entries = phase.jobs
      .filter((job) => job.steps.some((s) => ctx.inScope(job, s)))
      .map((job) => ({ job, key: jobKey(phase.id, job.hostId), phase: state, state: 'waiting' }));
    return state;
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
