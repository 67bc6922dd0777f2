import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../src-shared/contract/events';
import type { HostRun } from '../../../../src-shared/model/deploy-run';
import { formatImportProgress } from '../../../../src-shared/model/image-import';
import { importProgressOf } from './import-progress';

const line = (text: string): LogLine => ({ taskId: 'r1', hostId: 'h1', stream: 'stdout', line: text, at: '' });
const row = (over: Partial<HostRun>): HostRun => ({
  hostId: 'h1',
  hostName: 'node1',
  state: 'running',
  phase: 'runtime',
  stepId: 'runtime/h1/image-corednsImage',
  done: 10,
  total: 40,
  ...over,
});
const progress = { total: 3, totalBytes: 3000, ref: 'registry.k8s.io/coredns/coredns:v1.13.1' };
const lines = [
  line('▶ Import registry.k8s.io/pause:3.10.2'),
  line(formatImportProgress({ ...progress, done: 0, doneBytes: 0, state: 'importing', ref: 'registry.k8s.io/pause:3.10.2' })),
  line('unpacking registry.k8s.io/pause:3.10.2 (sha256:1)...done'),
  line(formatImportProgress({ ...progress, done: 1, doneBytes: 500, state: 'imported', ref: 'registry.k8s.io/pause:3.10.2' })),
  line(formatImportProgress({ ...progress, done: 1, doneBytes: 500, state: 'importing' })),
  line('unpacking …'),
];

describe("a host row's import progress", () => {
  it('is the newest progress line of the host while one of its image steps runs', () => {
    expect(importProgressOf(row({}), lines)).toEqual({ ...progress, done: 1, doneBytes: 500, state: 'importing' });
    // An upgrade runs the same steps in its own phases.
    expect(importProgressOf(row({ phase: 'control-plane', stepId: 'runtime/h1/image-pauseImage-file' }), lines)).toMatchObject({
      done: 1,
    });
  });

  it('is nothing on other steps, once the host has finished, or before any image reported', () => {
    expect(importProgressOf(row({ stepId: 'runtime/h1/ready' }), lines)).toBeUndefined();
    expect(importProgressOf(row({ state: 'succeeded' }), lines)).toBeUndefined();
    expect(importProgressOf(row({ state: 'failed' }), lines)).toBeUndefined();
    expect(importProgressOf(row({}), [line('▶ Copy registry.k8s.io/pause:3.10.2')])).toBeUndefined();
    expect(importProgressOf(row({}), undefined)).toBeUndefined();
  });
});
