import type { Need } from '../../../src-shared/model/plan';

export type JobOutcome = 'succeeded' | 'failed' | 'blocked' | 'cancelled';

/** Outcomes of finished jobs, keyed "phase/hostId". */
export type Outcomes = ReadonlyMap<string, JobOutcome>;

export const jobKey = (phase: string, hostId: string): string => `${phase}/${hostId}`;

/**
 * Whether a job's needs are met by the jobs that already ran. Undefined when they are; otherwise the
 * reason in words, naming the hosts whose failure blocks it.
 */
export function unmetNeed(needs: readonly Need[], outcomes: Outcomes, hostName: (id: string) => string): string | undefined {
  for (const need of needs) {
    const ok = need.hostIds.filter((id) => outcomes.get(jobKey(need.phase, id)) === 'succeeded');
    const bad = need.hostIds.filter((id) => outcomes.get(jobKey(need.phase, id)) !== 'succeeded');
    const required = need.quantity === 'all' ? need.hostIds.length : need.quantity === 'any' ? 1 : Math.floor(need.hostIds.length / 2) + 1;
    if (ok.length >= required) continue;
    const names = bad.map(hostName).join(', ');
    const what =
      need.quantity === 'majority'
        ? `a majority of ${need.phase} hosts`
        : need.quantity === 'any'
          ? `at least one ${need.phase} host`
          : `${need.phase} on every host`;
    return `needs ${what}; ${need.phase} did not finish on ${names}`;
  }
  return undefined;
}
