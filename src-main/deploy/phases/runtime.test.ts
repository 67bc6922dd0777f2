import { describe, expect, it } from 'vitest';
import { planSteps, type FileAction } from '../../../src-shared/model/plan';
import { chooseVariant } from '../engine/file-step';
import { buildPlan } from '../plan-builder';
import { fileTemplates } from '../templates';
import { FakeHost } from '../../../test/support/deploy/fake-transport';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';

const templates = fileTemplates();
const plan = () => buildPlan({ cluster: labCluster(3), pki: fakePki(), binaries: fakeBinaries(), templates });
const fileStepAt = (id: string): FileAction => {
  const step = planSteps(plan()).find((s) => s.id === id);
  if (!step || step.action.kind !== 'file') throw new Error(`no file step ${id}`);
  return step.action;
};
/** The config the engine writes on a host whose `containerd --version` prints `versionOutput`. */
const configOn = async (versionOutput: string): Promise<string> => {
  const action = fileStepAt('runtime/h1/config');
  const host = new FakeHost('node1', (command) => (command === action.chooseBy ? { stdout: versionOutput } : undefined));
  return (await chooseVariant(host, action)).text ?? '';
};
const cniSection = (toml: string) => toml.slice(toml.indexOf('.cni]'));

describe('containerd, against its upstream unit and config reference', () => {
  it('containerd 2.1 and later: the CNI folder as the bin_dirs list', async () => {
    for (const out of [
      'containerd github.com/containerd/containerd/v2 v2.1.4 75cb2b7',
      'containerd github.com/containerd/containerd/v2 v2.3.3 abc',
    ]) {
      const cni = cniSection(await configOn(out));
      expect(cni).toContain("bin_dirs = ['/opt/cni/bin']");
      expect(cni).not.toMatch(/^\s*bin_dir\s*=/m);
    }
  });

  it('containerd 2.0: bin_dir, the only key it reads', async () => {
    const config = await configOn('containerd github.com/containerd/containerd/v2 v2.0.6 e9ad9b2');
    expect(config).toMatch(/^version = 3$/m);
    const cni = cniSection(config);
    expect(cni).toContain("bin_dir = '/opt/cni/bin'");
    expect(cni).not.toContain('bin_dirs');
  });

  it("containerd 1.x (Debian bookworm's 1.6.20) keeps config version 2 with bin_dir", async () => {
    const config = await configOn('containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3');
    expect(config).toMatch(/^version = 2$/m);
    expect(cniSection(config)).toContain('bin_dir = "/opt/cni/bin"');
  });

  it('the unit lifts the process, core and task limits as upstream containerd.service does', () => {
    const unit = fileStepAt('runtime/h1/unit').text ?? '';
    for (const line of [
      'LimitNPROC=infinity',
      'LimitCORE=infinity',
      'TasksMax=infinity',
      'LimitNOFILE=1048576',
      'Delegate=yes',
      'KillMode=process',
    ])
      expect(unit.split('\n')).toContain(line);
  });
});
