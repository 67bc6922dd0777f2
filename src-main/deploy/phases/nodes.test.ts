import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planSteps, type FileAction } from '../../../src-shared/model/plan';
import { chooseVariant } from '../engine/file-step';
import { buildPlan } from '../plan-builder';
import { fileTemplates } from '../templates';
import { FakeHost } from '../../../test/support/deploy/fake-transport';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';

const templates = fileTemplates();
const kubeletConfig = (): FileAction => {
  const p = buildPlan({ cluster: labCluster(3), pki: fakePki(), binaries: fakeBinaries(), templates });
  const step = planSteps(p).find((s) => s.id === 'nodes/h3/kubelet-config');
  if (!step || step.action.kind !== 'file') throw new Error('no kubelet config');
  return step.action;
};
/** resolvConf of the kubelet config the engine writes on a host whose systemctl answers `state` for systemd-resolved. */
const resolvConfOn = async (state: string): Promise<unknown> => {
  const action = kubeletConfig();
  const host = new FakeHost('node3', (command) =>
    command === action.chooseBy ? { stdout: state ? `${state}\n` : '', code: state === 'active' ? 0 : 3 } : undefined,
  );
  const chosen = await chooseVariant(host, action);
  return (parse(chosen.text ?? '') as { resolvConf?: unknown }).resolvConf;
};

describe('kubelet resolvConf, decided on each host as kubeadm decides it', () => {
  it('asks the host itself whether systemd-resolved runs', () => {
    expect(kubeletConfig().chooseBy).toBe('systemctl is-active systemd-resolved 2>/dev/null');
  });

  it("points at resolved's upstream list where resolved is active (Ubuntu's default), never at the 127.0.0.53 stub", async () => {
    expect(await resolvConfOn('active')).toBe('/run/systemd/resolve/resolv.conf');
    expect(await resolvConfOn('activating')).toBe('/run/systemd/resolve/resolv.conf');
  });

  it('keeps /etc/resolv.conf where resolved is stopped, failed or not installed', async () => {
    for (const state of ['inactive', 'failed', 'unknown', '']) expect(await resolvConfOn(state), state).toBe('/etc/resolv.conf');
  });
});
