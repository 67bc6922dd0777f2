import type { Need } from '../../../src-shared/model/plan';

export type JobOutcome = 'succeeded' | 'failed' | 'blocked' | 'cancelled';

/** Outcomes of finished jobs, keyed "phase/hostId". */
export type Outcomes = ReadonlyMap<string, JobOutcome>;

export const jobKey = (phase: string, hostId: string): string => `${phase}/${hostId}`;

/** How many of the named jobs must succeed. */
const required = (need: Need): number =>
  need.quantity === 'all' ? need.hostIds.length : need.quantity === 'any' ? 1 : Math.floor(need.hostIds.length / 2) + 1;

/**
 * Whether a job's needs are met by the jobs that already ran. Undefined when they are; otherwise the
 * reason in words, naming the hosts whose failure blocks it.
 */
export function unmetNeed(needs: readonly Need[], outcomes: Outcomes, hostName: (id: string) => string): string | undefined {
  for (const need of needs) {
    const ok = need.hostIds.filter((id) => outcomes.get(jobKey(need.phase, id)) === 'succeeded');
    const bad = need.hostIds.filter((id) => outcomes.get(jobKey(need.phase, id)) !== 'succeeded');
    if (ok.length >= required(need)) continue;
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

/** Where a job stands with its needs: met, still waiting for jobs in flight, or unmet (the reason in words). */
export type NeedsState = { kind: 'met' } | { kind: 'wait' } | { kind: 'unmet'; why: string };

/**
 * Like unmetNeed, but for jobs that run while others are still in flight: a need is met as soon as enough of the
 * jobs it names succeeded (one control plane is enough for a kubelet), and unmet only once none of them is pending.
 */
export function needsState(
  needs: readonly Need[],
  outcomes: Outcomes,
  pending: (key: string) => boolean,
  hostName: (id: string) => string,
): NeedsState {
  for (const need of needs) {
    const ok = need.hostIds.filter((id) => outcomes.get(jobKey(need.phase, id)) === 'succeeded').length;
    if (ok >= required(need)) continue;
    if (need.hostIds.some((id) => pending(jobKey(need.phase, id)))) return { kind: 'wait' };
    return { kind: 'unmet', why: unmetNeed([need], outcomes, hostName) as string };
  }
  return { kind: 'met' };
}
