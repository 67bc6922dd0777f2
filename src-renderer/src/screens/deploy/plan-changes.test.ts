import { describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from '../../../../src-shared/model/plan';
import { onlyChanges } from './plan-changes';

const step = (id: string): PlanStep => ({ id, title: id, hash: `h-${id}`, action: { kind: 'command', run: 'true' } });
const plan: Plan = {
  cluster: 'lab',
  operation: 'deploy',
  kubernetesVersion: '1.36.0',
  createdAt: '',
  hash: 'p',
  warnings: [],
  phases: [
    {
      id: 'prepare',
      jobs: [
        { phase: 'prepare', hostId: 'h1', hostName: 'node1', needs: [], steps: [step('prepare/h1/a'), step('prepare/h1/b')] },
        { phase: 'prepare', hostId: 'h4', hostName: 'node4', needs: [], steps: [step('prepare/h4/a')] },
      ],
    },
    {
      id: 'load-balancer',
      jobs: [{ phase: 'load-balancer', hostId: 'h1', hostName: 'node1', needs: [], steps: [step('load-balancer/h1/conf')] }],
    },
  ],
  unchanged: ['prepare/h1/a', 'prepare/h1/b', 'load-balancer/h1/conf'],
};

describe('onlyChanges', () => {
  it('keeps what changed since the last run: a new host, with nothing else left around it', () => {
    const { plan: changes, changed, total } = onlyChanges(plan);
    expect([changed, total]).toEqual([1, 4]);
    expect(changes.phases.map((p) => [p.id, p.jobs.map((j) => j.hostName)])).toEqual([['prepare', ['node4']]]);
  });

  it('keeps everything when the journal knows nothing', () => {
    const { unchanged: _u, ...fresh } = plan;
    expect(onlyChanges(fresh)).toMatchObject({ changed: 4, total: 4 });
  });
});
