import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planSteps, type FileAction } from '../../../src-shared/model/plan';
import { flagsOnCommandLine } from '../flags';
import { buildPlan } from '../plan-builder';
import { execStartOf } from '../render/systemd-unit';
import { fileTemplates } from '../templates';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';

const templates = fileTemplates();
const plan = (version: '1.34' | '1.35' | '1.36') =>
  buildPlan({ cluster: labCluster(3, { kubernetesVersion: version }), pki: fakePki(), binaries: fakeBinaries(), templates });
const fileAt = (p: ReturnType<typeof plan>, path: string): FileAction => {
  const step = planSteps(p).find((s) => s.action.kind === 'file' && s.action.path === path);
  if (!step || step.action.kind !== 'file') throw new Error(`no file ${path}`);
  return step.action;
};
const flagsOf = (p: ReturnType<typeof plan>, unit: string) =>
  flagsOnCommandLine(execStartOf(fileAt(p, `/etc/systemd/system/${unit}`).text ?? ''));

describe('control plane, against kubeadm', () => {
  for (const version of ['1.34', '1.35', '1.36'] as const) {
    it(`${version}: anonymous requests only for /livez, /readyz, /healthz, through --authentication-config and never with --anonymous-auth`, () => {
      const p = plan(version);
      const flags = flagsOf(p, 'kube-apiserver.service');
      expect(flags).toContain('authentication-config');
      // The apiserver refuses to start with both (authentication.md: "If present --anonymous-auth must not be set").
      expect(flags).not.toContain('anonymous-auth');
      const config = parse(fileAt(p, '/etc/kubernetes/authentication-config.yaml').text ?? '') as Record<string, unknown>;
      expect(config).toEqual({
        apiVersion: 'apiserver.config.k8s.io/v1',
        kind: 'AuthenticationConfiguration',
        anonymous: { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }] },
      });
    });
  }

  it('bootstrap tokens: neither half — no token controllers in the controller manager, no token authenticator in the apiserver', () => {
    const p = plan('1.36');
    const cm = execStartOf(fileAt(p, '/etc/systemd/system/kube-controller-manager.service').text ?? '');
    expect(cm).not.toMatch(/bootstrapsigner|tokencleaner/);
    expect(flagsOf(p, 'kube-apiserver.service')).not.toContain('enable-bootstrap-token-auth');
  });
});
