import { describe, expect, it } from 'vitest';
import type { PhaseId, PlanJob, PlanStep } from '../../../src-shared/model/plan';
import { RunTimingsSchema } from '../../../src-shared/model/run-timings';
import { raw } from '../../ssh/shell';
import { commandStep } from '../steps';
import { RunTimer } from './collector';
import { currentTally, localWork } from './tally';

/** A clock the test moves by hand, so every wall time below is exact. */
function manualClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const step = (id: string): PlanStep => commandStep(id, `step ${id}`, { run: raw('true') });
const job = (phase: PhaseId, hostId: string, steps: PlanStep[]): PlanJob => ({
  phase,
  hostId,
  hostName: `node-${hostId}`,
  steps,
  needs: [],
});

describe('RunTimer', () => {
  it('adds up steps and job overhead per phase and per host, and names the slowest steps first', async () => {
    const clock = manualClock();
    const timer = new RunTimer(clock.now);
    await timer.beforeRun(async () => {
      clock.advance(40);
      // Rendering the plan here counts as this computer's work before the run.
      expect(currentTally()).toBeDefined();
    });
    const a1 = job('prepare', 'a', [step('p/a/1'), step('p/a/2')]);
    const b1 = job('prepare', 'b', [step('p/b/1')]);
    await timer.job(a1, async () => {
      // The job's own batched read, outside its steps.
      currentTally()!.roundTrips++;
      clock.advance(5);
      await timer.step(a1, a1.steps[0]!, async () => {
        const t = currentTally()!;
        t.bytes += 300;
        t.waitMs += 2;
        t.roundTrips++;
        clock.advance(10);
      });
      await timer.step(a1, a1.steps[1]!, async () => {
        currentTally()!.bytes += 20;
        clock.advance(30);
      });
    });
    await timer.job(b1, async () => {
      await timer.step(b1, b1.steps[0]!, async () => {
        currentTally()!.localMs += 7;
      });
    });
    // Host b waits 100 ms for the next phase (a barrier), then runs its etcd job.
    clock.advance(100);
    const b2 = job('etcd', 'b', [step('e/b/1')]);
    await timer.job(b2, () => timer.step(b2, b2.steps[0]!, async () => void clock.advance(20)));

    const t = timer.finish({ runId: 'r1', cluster: 'lab' });
    expect(RunTimingsSchema.parse(t)).toEqual(t);
    expect(t.totalMs).toBe(205);
    expect(t.beforeRun.wallMs).toBe(40);
    expect(t.phases.map((p) => [p.phase, p.wallMs, p.bytes, p.waitMs, p.localMs, p.roundTrips, p.hosts])).toEqual([
      ['prepare', 45, 320, 2, 7, 2, 2],
      ['etcd', 20, 0, 0, 0, 0, 1],
    ]);
    const host = (id: string) => t.hosts.find((h) => h.hostId === id)!;
    expect(host('a')).toMatchObject({ wallMs: 45, bytes: 320, roundTrips: 2, idleMs: 0 });
    // b's prepare job took no clock time; it then sat idle until its etcd job started.
    expect(host('b')).toMatchObject({ wallMs: 20, localMs: 7, idleMs: 100 });
    expect(t.steps.map((s) => [s.stepId, s.wallMs])).toEqual([
      ['p/a/2', 30],
      ['e/b/1', 20],
      ['p/a/1', 10],
      ['p/b/1', 0],
    ]);
    expect(t.stepCount).toBe(4);
  });

  it('keeps the tallies of steps that run at once apart, and counts a failed step too', async () => {
    const timer = new RunTimer();
    const j = job('preflight', 'a', [step('c/1'), step('c/2')]);
    const settled = await timer.job(j, () =>
      Promise.allSettled(
        j.steps.map((s, i) =>
          timer.step(j, s, async () => {
            await new Promise((r) => setTimeout(r, 5 - i * 5));
            currentTally()!.bytes += i + 1;
            if (i === 1) throw new Error('check failed');
          }),
        ),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    const t = timer.finish({ runId: 'r', cluster: 'lab' });
    expect(Object.fromEntries(t.steps.map((s) => [s.stepId, s.bytes]))).toEqual({ 'c/1': 1, 'c/2': 2 });
    expect(t.phases[0]!.bytes).toBe(3);
    for (const s of t.steps) expect(s.wallMs).toBeLessThanOrEqual(t.phases[0]!.wallMs);
  });

  it('counts nothing, and costs nothing, outside a measured run', () => {
    expect(currentTally()).toBeUndefined();
    expect(localWork(() => 42)).toBe(42);
  });
});
