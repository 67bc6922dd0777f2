import { describe, expect, it } from 'vitest';
import { planSteps, type FileAction } from '../../../src-shared/model/plan';
import { chooseVariant } from '../engine/file-step';
import { buildPlan } from '../plan-builder';
import { execStartOf } from '../render/systemd-unit';
import { fileTemplates } from '../templates';
import { FakeHost } from '../../../test/support/deploy/fake-transport';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';

const templates = fileTemplates();
const plan = () => buildPlan({ cluster: labCluster(3), pki: fakePki(), binaries: fakeBinaries(), templates });
const unitAction = (): FileAction => {
  const step = planSteps(plan()).find((s) => s.id === 'etcd/h2/unit');
  if (!step || step.action.kind !== 'file') throw new Error('no etcd unit');
  return step.action;
};
/** The unit the engine writes on a host whose `etcd --version` prints `versionOutput`. */
const unitOn = async (versionOutput: string): Promise<string> => {
  const action = unitAction();
  const host = new FakeHost('node2', (command) => (command === action.chooseBy ? { stdout: versionOutput } : undefined));
  const chosen = await chooseVariant(host, action);
  return execStartOf(chosen.text ?? '');
};

describe('etcd unit, against kubeadm', () => {
  it('every variant serves metrics and /health on 127.0.0.1:2381 over plain HTTP', () => {
    for (const v of unitAction().variants!) expect(v.text, v.label).toContain('--listen-metrics-urls=http://127.0.0.1:2381');
  });

  it("etcd 3.6 and 3.7 get kubeadm's feature gate and the plain watch-progress flag", async () => {
    for (const out of ['etcd Version: 3.6.5\nGit SHA: 1234\nGo Version: go1.24.6', 'etcd Version: 3.7.1\nGit SHA: abcd']) {
      const line = await unitOn(out);
      expect(line).toContain('--feature-gates=InitialCorruptCheck=true');
      expect(line).toContain('--watch-progress-notify-interval=5s');
      expect(line).not.toContain('--experimental-');
    }
  });

  it("etcd 3.4 (Debian bookworm's 3.4.23) and 3.5 get the experimental spellings they know, never --feature-gates", async () => {
    for (const out of [
      'etcd Version: 3.4.23\nGit SHA: Not provided (use ./build instead of go build)',
      'etcd Version: 3.5.21\nGit SHA: x',
    ]) {
      const line = await unitOn(out);
      expect(line).toContain('--experimental-initial-corrupt-check=true');
      expect(line).toContain('--experimental-watch-progress-notify-interval=5s');
      expect(line).not.toContain('--feature-gates');
      expect(line).not.toMatch(/(^|\s)--watch-progress-notify-interval/);
    }
  });

  it('refuses an etcd older than 3.4 rather than writing flags it does not know', async () => {
    await expect(unitOn('etcd Version: 3.3.27')).rejects.toMatchObject({ name: 'NoMatchingVariant' });
  });

  it('checks the member on its metrics port without a client certificate', () => {
    const step = planSteps(plan()).find((s) => s.id === 'etcd/h2/metrics-health');
    if (!step || step.action.kind !== 'command') throw new Error('no metrics health step');
    expect(step.action.run).toBe('curl -sS --fail --max-time 5 http://127.0.0.1:2381/health');
    expect(step.action.run).not.toMatch(/--cert|--key/);
  });
});
