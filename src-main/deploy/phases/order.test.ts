import { describe, expect, it } from 'vitest';
import { PHASES } from '../../../src-shared/model/plan';
import { DEPLOY_PHASE_AFTER } from './order';

describe('DEPLOY_PHASE_AFTER', () => {
  it('names only earlier phases (a later one could never settle first)', () => {
    for (const [phase, after] of Object.entries(DEPLOY_PHASE_AFTER)) {
      for (const p of after)
        expect(PHASES.indexOf(p), `${phase} after ${p}`).toBeLessThan(PHASES.indexOf(phase as (typeof PHASES)[number]));
    }
  });

  it('lets a worker set up containerd and its load balancer without waiting for etcd', () => {
    expect(DEPLOY_PHASE_AFTER.runtime).not.toContain('etcd');
    expect(DEPLOY_PHASE_AFTER['load-balancer']).not.toContain('etcd');
    expect(DEPLOY_PHASE_AFTER.nodes).not.toContain('control-plane');
  });
});
