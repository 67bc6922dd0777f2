import { describe, expect, it } from 'vitest';
import type { RunTimings, StepTiming } from '../../../../src-shared/model/run-timings';
import { formatDuration, timingRows } from './timing-rows';

const figures = { remoteMs: 0, waitMs: 0, localMs: 0, bytes: 0, roundTrips: 0 };
const step = (id: string, wallMs: number): StepTiming => ({
  ...figures,
  phase: 'etcd',
  hostId: 'a',
  hostName: 'node1',
  stepId: id,
  title: id,
  wallMs,
});

const timings: RunTimings = {
  runId: 'r',
  cluster: 'lab',
  startedAt: '',
  finishedAt: '',
  totalMs: 10_000,
  beforeRun: { wallMs: 100, localMs: 50 },
  phases: [
    { ...figures, phase: 'preflight', hosts: 2, wallMs: 100 },
    { ...figures, phase: 'binaries', hosts: 2, wallMs: 9_000 },
    { ...figures, phase: 'etcd', hosts: 1, wallMs: 500 },
  ],
  hosts: [
    { ...figures, hostId: 'a', hostName: 'node1', wallMs: 3_000, idleMs: 0 },
    { ...figures, hostId: 'b', hostName: 'node2', wallMs: 7_000, idleMs: 0 },
    { ...figures, hostId: 'c', hostName: 'node3', wallMs: 3_000, idleMs: 10 },
  ],
  steps: [step('s1', 5), step('s2', 900), step('s3', 40), step('s4', 900), step('s5', 3000)],
  stepCount: 5,
};

describe('timingRows', () => {
  it('keeps phases in the order they ran and puts the slowest hosts and steps first (ties as recorded)', () => {
    const rows = timingRows(timings);
    expect(rows.phases.map((p) => p.phase)).toEqual(['preflight', 'binaries', 'etcd']);
    expect(rows.hosts.map((h) => h.hostName)).toEqual(['node2', 'node1', 'node3']);
    expect(rows.steps.map((s) => s.stepId)).toEqual(['s5', 's2', 's4', 's3', 's1']);
  });

  it('lists only the slowest steps asked for', () => {
    expect(timingRows(timings, 2).steps.map((s) => s.stepId)).toEqual(['s5', 's2']);
  });

  it('writes durations short', () => {
    expect([formatDuration(12.4), formatDuration(12_340), formatDuration(125_000)]).toEqual(['12 ms', '12.3 s', '2:05']);
  });
});
