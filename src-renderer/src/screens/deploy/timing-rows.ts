import {
  slowestFirst,
  type HostTiming,
  type PhaseTiming,
  type RunTimings,
  type StepTiming,
} from '../../../../src-shared/model/run-timings';

/** What the "Where the time went" panel lists: phases in the order they ran, hosts and steps slowest first. */
export interface TimingRows {
  phases: PhaseTiming[];
  hosts: HostTiming[];
  steps: StepTiming[];
}

export const SLOWEST_STEPS = 10;

export function timingRows(t: RunTimings, steps = SLOWEST_STEPS): TimingRows {
  return { phases: t.phases, hosts: slowestFirst(t.hosts), steps: slowestFirst(t.steps).slice(0, steps) };
}

/** "850 ms", "12.3 s", "2:05" (minutes) for the panel's cells. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
