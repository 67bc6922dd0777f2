import { describe, expect, it } from 'vitest';
import type { ClusterSettings } from '../../../src-shared/model/cluster';
import { planSteps } from '../../../src-shared/model/plan';
import { buildPlan } from '../plan-builder';
import { fileTemplates } from '../templates';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';

const templates = fileTemplates();
const plan = (settings: Partial<ClusterSettings>) =>
  buildPlan({ cluster: labCluster(6, settings), pki: fakePki(), binaries: fakeBinaries(), templates, now: new Date(0) });
const addonStepIds = (settings: Partial<ClusterSettings>) =>
  planSteps(plan(settings))
    .map((s) => s.id)
    .filter((id) => id.startsWith('addons/'));

describe('add-on phase', () => {
  const cases: Array<[string, Partial<ClusterSettings>, string]> = [
    ['calico', { cni: 'calico' }, 'calico'],
    ['cilium', { cni: 'cilium' }, 'cilium'],
    ['Headlamp', { addons: { coredns: true, metricsServer: true, headlamp: true } }, 'headlamp'],
  ];
  for (const [label, settings, name] of cases) {
    it(`with ${label} chosen: writes its manifest, applies it, waits for it, and warns of nothing`, () => {
      const ids = addonStepIds(settings);
      for (const step of ['manifest', 'apply', 'ready']) expect(ids).toContain(`addons/h1/${name}-${step}`);
      expect(ids.indexOf(`addons/h1/${name}-apply`)).toBeGreaterThan(ids.indexOf(`addons/h1/${name}-manifest`));
      expect(plan(settings).warnings).toEqual([]);
    });
  }

  it('applies the pod network first and waits for workloads only once every manifest is applied', () => {
    const ids = addonStepIds({ cni: 'cilium', addons: { coredns: true, metricsServer: true, headlamp: true } });
    expect(ids[0]).toBe('addons/h1/cilium-manifest');
    const lastApply = Math.max(...ids.flatMap((id, i) => (id.endsWith('-apply') ? [i] : [])));
    const firstReady = ids.findIndex((id) => id.endsWith('-ready'));
    expect(firstReady).toBeGreaterThan(lastApply);
  });

  it('waits for every workload of a manifest, each with its own timeout inside the step timeout', () => {
    const ready = planSteps(plan({ cni: 'calico' })).find((s) => s.id === 'addons/h1/calico-ready')!;
    if (ready.action.kind !== 'command') throw new Error('not a command');
    expect(ready.action.run).toMatch(
      /-n kube-system rollout status daemonset\/calico-node --timeout=300s && .*deployment\/calico-kube-controllers --timeout=300s$/,
    );
    expect(ready.action.timeoutMs).toBeGreaterThan(600_000);
  });

  it('leaves out what is not chosen', () => {
    const ids = addonStepIds({ cni: 'flannel', addons: { coredns: false, metricsServer: false, headlamp: false } });
    expect(ids.filter((id) => id.endsWith('-manifest'))).toEqual(['addons/h1/flannel-manifest']);
  });

  it('warns that Headlamp shows no resource use without metrics-server', () => {
    const warnings = plan({ addons: { coredns: true, metricsServer: false, headlamp: true } }).warnings;
    expect(warnings.join(' ')).toMatch(/Headlamp.*metrics-server/);
  });
});
