import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunTimings, StepTiming } from '../../../src-shared/model/run-timings';
import { formatRunTimings } from './format-text';
import { readRunTimings, writeRunTimings } from './timings-file';

const figures = { remoteMs: 0, waitMs: 0, localMs: 0, bytes: 0, roundTrips: 1 };
const stepOf = (n: number): StepTiming => ({
  ...figures,
  phase: n % 2 ? 'etcd' : 'prepare',
  hostId: `h${n % 3}`,
  hostName: `node${n % 3}`,
  stepId: `s${n}`,
  title: `step ${n}`,
  wallMs: n * 100,
});

const sample: RunTimings = {
  runId: 'r',
  cluster: 'lab',
  startedAt: '2026-12-05T13:00:00.000Z',
  finishedAt: '2026-12-05T13:01:00.000Z',
  totalMs: 60_000,
  beforeRun: { wallMs: 800, localMs: 500 },
  phases: [
    { phase: 'prepare', hosts: 3, ...figures, wallMs: 9_000, bytes: 2048 },
    { phase: 'etcd', hosts: 3, ...figures, wallMs: 4_000, waitMs: 300 },
  ],
  hosts: [
    { hostId: 'h0', hostName: 'node0', ...figures, wallMs: 1_000, idleMs: 12_000 },
    { hostId: 'h1', hostName: 'node1', ...figures, wallMs: 5_000, idleMs: 0 },
  ],
  // Stored slowest first, but the text sorts for itself.
  steps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(stepOf),
  stepCount: 12,
};

describe('formatRunTimings', () => {
  it('prints phases in the order they ran, the slowest steps and the slowest hosts first', () => {
    const text = formatRunTimings(sample);
    const lines = text.split('\n');
    expect(lines[0]).toContain('60.0 s in all');
    expect(lines[0]).toContain('plan built in 800 ms (500 ms on this computer)');
    const at = (s: string) => lines.findIndex((l) => l.startsWith(s));
    expect(at('prepare')).toBeLessThan(at('etcd'));
    expect(lines[at('prepare')]).toContain('2.0 KiB');
    const stepLines = lines.filter((l) => l.startsWith('step '));
    expect(stepLines).toHaveLength(10);
    expect(stepLines[0]).toMatch(/^step 12 /);
    expect(stepLines[9]).toMatch(/^step 3 /);
    expect(at('node1')).toBeLessThan(at('node0'));
    expect(lines[at('node0')]).toMatch(/12\.0 s$/);
  });
});

describe('run-timings.json', () => {
  it('reads back what was written, and nothing from a damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-timings-file-'));
    try {
      const path = join(dir, 'run-timings.json');
      expect(await readRunTimings(path)).toBeNull();
      await writeRunTimings(path, sample);
      expect(await readRunTimings(path)).toEqual(sample);
      await writeFile(path, '{"runId": 3');
      expect(await readRunTimings(path)).toBeNull();
      await writeFile(path, JSON.stringify({ ...sample, totalMs: -1 }));
      expect(await readRunTimings(path)).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
