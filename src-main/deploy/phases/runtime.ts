import type { Host } from '../../../src-shared/model/cluster';
import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import { BIN_DIR, CNI_BIN_DIR, CNI_CONF_DIR, CONTAINERD_CONFIG, UNIT_DIR } from '../layout';
import { renderUnit } from '../render/systemd-unit';
import { commandStep, fileStep, unitStep, variantFileStep } from '../steps';
import { programSteps } from './binaries';
import { sh } from '../../ssh/shell';
import { imageImportSteps } from './images';
import { registryHostsSteps } from './registry-hosts';
import { HOST_POLL_MS } from '../engine/poll-on-host';

export function containerdVars(ctx: PlanContext): Record<string, string> {
  // A bundle's pause image is the one imported; containerd must not try to pull another.
  const pause = ctx.binaries.images?.find((i) => i.role === 'pauseImage')?.ref ?? ctx.release.pauseImage;
  return { sandboxImage: pause, runc: `${BIN_DIR}/runc`, cniBinDir: CNI_BIN_DIR, cniConfDir: CNI_CONF_DIR };
}

/**
 * How the CRI plugin's CNI section names the plugin folder. containerd 2.1 replaced `bin_dir` with the list
 * `bin_dirs` (containerd docs/cri/config.md of v2.1 onward, `[plugins.'io.containerd.cri.v1.runtime'.cni] bin_dirs`,
 * `bin_dir` kept only as deprecated); containerd 2.0's config.md has `bin_dir` alone, so 2.0 would not read the list.
 */
export const cniBinDirSetting = (minor: '2.0' | '2.1+', dir: string): string =>
  minor === '2.0' ? `bin_dir = '${dir}'` : `bin_dirs = ['${dir}']`;

/**
 * containerd 2.x reads config version 3, 1.x version 2; the host's own `containerd --version` decides, so a
 * distribution's containerd and ours both get a config they understand. 2.0 and 2.1+ differ in the CNI folder key.
 */
export function containerdConfigStep(ctx: PlanContext, host: Host): PlanStep {
  const vars = containerdVars(ctx);
  return variantFileStep(ctx.stepId('runtime', host, 'config'), 'containerd config (SystemdCgroup, sandbox image, registry hosts folder)', {
    path: CONTAINERD_CONFIG,
    chooseBy: sh`${BIN_DIR}/containerd --version`,
    chooseByReads: `${BIN_DIR}/containerd`,
    variants: [
      {
        match: '\\sv?2\\.0\\.\\d+',
        label: 'containerd 2.0: config version 3, CNI bin_dir',
        text: ctx.templates.render(ctx.version, 'containerd-config-v3.toml', {
          ...vars,
          cniBinDirSetting: cniBinDirSetting('2.0', CNI_BIN_DIR),
        }),
      },
      {
        match: '\\sv?2\\.\\d+\\.\\d+',
        label: 'containerd 2.1 and later: config version 3, CNI bin_dirs',
        text: ctx.templates.render(ctx.version, 'containerd-config-v3.toml', {
          ...vars,
          cniBinDirSetting: cniBinDirSetting('2.1+', CNI_BIN_DIR),
        }),
      },
      {
        match: '\\sv?1\\.\\d+\\.\\d+',
        label: 'containerd 1.x: config version 2',
        text: ctx.templates.render(ctx.version, 'containerd-config-v2.toml', vars),
      },
    ],
  });
}

/** After containerd's own unit (containerd/containerd containerd.service), limits included. */
export function renderContainerdUnit(): string {
  return renderUnit({
    description: 'containerd container runtime (Kubesmith)',
    documentation: 'https://containerd.io',
    after: ['network.target', 'local-fs.target'],
    type: 'notify',
    execStartPre: [['-/sbin/modprobe', 'overlay']],
    execStart: [`${BIN_DIR}/containerd`, `--config=${CONTAINERD_CONFIG}`],
    delegate: true,
    killMode: 'process',
    limitNoFile: 1048576,
    unlimitedTasks: true,
    oomScoreAdjust: -999,
  });
}

export function runtimeSteps(ctx: PlanContext, host: Host): PlanStep[] {
  const id = (name: string) => ctx.stepId('runtime', host, name);
  const inputs = [
    containerdConfigStep(ctx, host),
    fileStep(id('unit'), 'containerd unit', { path: `${UNIT_DIR}/containerd.service`, text: renderContainerdUnit() }),
  ];
  inputs.push(...registryHostsSteps(ctx, host));
  return [
    ...inputs,
    commandStep(id('cni-dirs'), `CNI folders ${CNI_BIN_DIR}, ${CNI_CONF_DIR}`, {
      skipIf: sh`test -d ${CNI_BIN_DIR} && test -d ${CNI_CONF_DIR}`,
      run: sh`install -d -m 0755 ${CNI_BIN_DIR} ${CNI_CONF_DIR}`,
    }),
    unitStep(id('start'), {
      unit: 'containerd',
      inputs: [...inputs, ...programSteps(ctx, host, ['containerd', 'containerd-shim-runc-v2', 'runc'])],
    }),
    commandStep(id('ready'), 'containerd answers on its socket', {
      check: true,
      run: sh`${BIN_DIR}/ctr --address /run/containerd/containerd.sock version`,
      retry: { attempts: 30, intervalMs: 1000, pollMs: HOST_POLL_MS },
      unit: 'containerd',
    }),
    ...imageImportSteps(ctx, host),
  ];
}

export function runtimeJobs(ctx: PlanContext): PlanJob[] {
  return ctx.kubeletHosts.map((host) => ({
    phase: 'runtime',
    hostId: host.id,
    hostName: host.name,
    steps: runtimeSteps(ctx, host),
    needs: [],
  }));
}
