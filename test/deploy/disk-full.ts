import { expect } from 'vitest';
import type { DeployRun } from '../../src-shared/model/deploy-run';
import { labSsh } from '../lab/ssh';
import type { LabHost } from '../lab/types';

/**
 * After a run where `victim`'s `dir` was full (test/lab/faults.ts fillDisk): the victim failed with DiskFull saying
 * `message`, nothing half-written is left in `dir` (only the fill file), and every other host finished.
 */
export async function expectDiskFullOnly(run: DeployRun, victim: LabHost, dir: string, message: RegExp): Promise<void> {
  const v = run.hosts.find((h) => h.hostName === victim.name)!;
  expect(v.state).toBe('failed');
  expect(v.cause?.name).toBe('DiskFull');
  expect(v.cause?.message).toMatch(message);
  const left = await labSsh(victim.address, `ls -A '${dir}'`);
  expect(
    left.stdout
      .trim()
      .split('\n')
      .filter((f) => f !== '.lab-fill' && f !== ''),
  ).toEqual([]);
  const others = run.hosts.filter((h) => h.hostName !== victim.name);
  expect(others.map((h) => h.state)).toEqual(others.map(() => 'succeeded'));
}
