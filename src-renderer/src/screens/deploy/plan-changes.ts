import type { Plan } from '../../../../src-shared/model/plan';

/**
 * The plan with only the steps that are not unchanged since the last run (jobs and phases left empty dropped),
 * and how many steps that is.
 */
export function onlyChanges(plan: Plan): { plan: Plan; changed: number; total: number } {
  const unchanged = new Set(plan.unchanged ?? []);
  let total = 0;
  let changed = 0;
  const phases = plan.phases
    .map((p) => ({
      ...p,
      jobs: p.jobs
        .map((j) => {
          total += j.steps.length;
          const steps = j.steps.filter((s) => !unchanged.has(s.id));
          changed += steps.length;
          return { ...j, steps };
        })
        .filter((j) => j.steps.length > 0),
    }))
    .filter((p) => p.jobs.length > 0);
  return { plan: { ...plan, phases }, changed, total };
}
