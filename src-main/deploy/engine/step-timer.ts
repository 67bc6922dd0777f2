import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';

/**
 * Measures a run's jobs and steps (src-main/deploy/timings): the runner hands each job and step to it, and what the
 * transports and local work record while one runs is counted to it.
 */
export interface StepTimer {
  job<T>(job: PlanJob, run: () => Promise<T>): Promise<T>;
  step<T>(job: PlanJob, step: PlanStep, run: () => Promise<T>): Promise<T>;
}

/** Runs everything as it is: for runs nobody measures. */
export const UNTIMED: StepTimer = { job: (_job, run) => run(), step: (_job, _step, run) => run() };
